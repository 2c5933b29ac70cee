import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { NtfySender } from '../../../src/senders/ntfy';
import { ntfySchema } from '../../../src/senders/config';
import { FakeNtfy } from '../../fakes/senders';
import { message } from './helpers';
import { rejection } from '../../helpers/rejection';

describe('NtfySender against a fake ntfy server', () => {
  let ntfy: FakeNtfy;
  beforeEach(async () => (ntfy = await FakeNtfy.start({ token: 'tk_secret' })));
  afterEach(() => ntfy.close());

  const build = (over: Record<string, unknown> = {}) =>
    new NtfySender('ntfy', ntfySchema.parse({ type: 'ntfy', url: ntfy.url, token: 'tk_secret', ...over }), new SystemClock());

  it("publishes to the person's topic with mapped priority, tags and an acknowledge action", async () => {
    const r = await build().send(message({ priority: 'urgent', title: 'Сбой: High CPU' }, { ntfy: 'alice-pager' }));
    expect(r).to.include({ sender: 'ntfy', kind: 'push', id: 'nt1' });
    const [m] = ntfy.messages;
    expect(m.topic).to.equal('alice-pager');
    expect(m.title).to.equal('Сбой: High CPU');
    expect(m.priority).to.equal(5);
    expect(m.tags).to.deep.equal(['rotating_light']);
    expect(m.click).to.equal('http://dozvon.example/ack/42.abc.SIG');
    const ack = m.actions.find((a) => a.label === 'Acknowledge')!;
    expect(ack).to.include({ action: 'http', method: 'POST', url: 'http://dozvon.example/ack/42.abc.SIG' });
    expect(ntfy.requests[0].headers.authorization).to.equal('Bearer tk_secret');
  });

  it('maps every priority onto ntfy 2..5', async () => {
    const s = build();
    for (const p of ['low', 'normal', 'high', 'urgent'] as const) await s.send(message({ priority: p }, { ntfy: 't1' }));
    expect(ntfy.messages.map((m) => m.priority)).to.deep.equal([2, 3, 4, 5]);
  });

  it('has no actions without an ack link', async () => {
    await build().send(message({ ackUrl: undefined }, { ntfy: 't1' }));
    expect(ntfy.messages[0].actions).to.deep.equal([]);
  });

  it('a wrong token is permanent; 429 and 5xx are temporary', async () => {
    const bad = await rejection(build({ token: 'tk_wrong' }).send(message({}, { ntfy: 't1' })));
    expect(bad.temporary).to.equal(false);
    expect(bad.message).to.match(/403.*forbidden/);
    expect(bad.message).not.to.include('tk_wrong');
    ntfy.queue(
      { status: 429, body: { code: 42901, http: 429, error: 'limit reached: too many requests' } },
      { status: 502, body: 'bad gateway' },
    );
    expect((await rejection(build().send(message({}, { ntfy: 't1' })))).temporary).to.equal(true);
    expect((await rejection(build().send(message({}, { ntfy: 't1' })))).temporary).to.equal(true);
  });

  it('skips people without a topic and refuses invalid topics without calling ntfy', async () => {
    const s = build();
    expect(s.accepts(message().to)).to.equal(false);
    expect(s.accepts(message({}, { ntfy: 'x' }).to)).to.equal(true);
    expect((await rejection(s.send(message()))).temporary).to.equal(false);
    expect((await rejection(s.send(message({}, { ntfy: 'bad topic/..' })))).temporary).to.equal(false);
    expect(ntfy.requests).to.have.length(0);
  });

  it('reads a custom contact key', async () => {
    await build({ contact: 'phone_topic' }).send(message({}, { phone_topic: 'abc' }));
    expect(ntfy.messages[0].topic).to.equal('abc');
  });

  it('health follows /v1/health', async () => {
    expect(await build().health()).to.deep.equal({ ok: true, detail: 'healthy' });
    ntfy.healthy = false;
    expect((await build().health()).ok).to.equal(false);
    await ntfy.close();
    expect((await build().health()).ok).to.equal(false);
  });
});
