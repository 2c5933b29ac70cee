import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { TelegramSender } from '../../../src/senders/telegram';
import { telegramSchema } from '../../../src/senders/config';
import { FakeTelegram } from '../../fakes/senders';
import { message } from './helpers';
import { rejection } from '../../helpers/rejection';

describe('TelegramSender against a fake Bot API', () => {
  let tg: FakeTelegram;
  beforeEach(async () => (tg = await FakeTelegram.start()));
  afterEach(() => tg.close());

  const build = (token = tg.token) =>
    new TelegramSender('tg', telegramSchema.parse({ type: 'telegram', bot_token: token, api_url: tg.apiUrl }), new SystemClock());

  it('sends a message with an inline URL button to the ack link', async () => {
    const r = await build().send(message({}, { telegram: '987654321' }));
    expect(r).to.include({ sender: 'tg', kind: 'push', id: '101' });
    const [m] = tg.messages;
    expect(m.chat_id).to.equal('987654321');
    expect(m.text).to.equal('High CPU\n\nIncident: "High CPU" on db-1\nStatus: firing');
    expect(m.reply_markup?.inline_keyboard).to.deep.equal([[{ text: 'Acknowledge', url: 'http://dozvon.example/ack/42.abc.SIG' }]]);
    expect(m.disable_notification).to.equal(false);
  });

  it('a blocked bot is permanent, 429 with retry_after temporary', async () => {
    tg.blocked.add('555');
    const e = await rejection(build().send(message({}, { telegram: '555' })));
    expect(e.temporary).to.equal(false);
    expect(e.message).to.match(/blocked by the user/);
    tg.queue({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
    });
    const t = await rejection(build().send(message({}, { telegram: '555000' })));
    expect(t.temporary).to.equal(true);
    expect(t.message).to.match(/retry after 7 s/);
  });

  it('a wrong bot token is permanent and never appears in the error', async () => {
    const wrong = '999999:ZZZ-wrong-token-abcdefghijk';
    const e = await rejection(build(wrong).send(message({}, { telegram: '1' })));
    expect(e.temporary).to.equal(false);
    expect(e.message).not.to.include(wrong);
    expect((await build(wrong).health()).ok).to.equal(false);
  });

  it('health calls getMe', async () => {
    expect(await build().health()).to.deep.equal({ ok: true, detail: 'bot @dozvon_test_bot' });
    expect(tg.requests[0].path).to.equal(`/bot${tg.token}/getMe`);
  });

  it('refuses a chat id that is not one', async () => {
    expect((await rejection(build().send(message({}, { telegram: 'drop table' })))).temporary).to.equal(false);
    expect(tg.requests).to.have.length(0);
  });
});
