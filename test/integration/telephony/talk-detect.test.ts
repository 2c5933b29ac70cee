import { expect } from 'chai';
import type { CallLeg, TalkEvent } from '../../../src/telephony';
import { writeTalkDetect } from '../../fakes/asterisk/talk';
import { answered, Harness, makeHarness } from './harness';

function talkEvents(leg: CallLeg): TalkEvent[] {
  const seen: TalkEvent[] = [];
  leg.on('talk', (e) => seen.push(e));
  return seen;
}

describe('AriTelephony ↔ fake Asterisk: talk detection (TALK_DETECT as func_talkdetect.c accepts it)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  it('after detectTalk, a phone that talks is reported as talk started / finished with the scripted talk length', async () => {
    const phone = h.asterisk.phone('2001').willAnswerAfter(0).willTalk(3000, { afterAnswerMs: 200 });
    const leg = await h.dial('2001');
    await answered(leg);
    const seen = talkEvents(leg);
    await leg.detectTalk({ silenceMs: 800, talkingThreshold: null });
    await h.asterisk.waitForEvent('ChannelTalkingFinished', (e) => e.channel.id === leg.id, 3000);
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10)); // the app reads it a moment later
    expect(seen).to.deep.equal([{ talking: true }, { talking: false, durationMs: 3000 }]);
    const set = h.asterisk.requests.find((r) => r.path === `/ari/channels/${leg.id}/variable`);
    expect(set?.query).to.deep.include({ variable: 'TALK_DETECT(set)', value: '800' });
    expect(set?.status).to.equal(204);
    await phone.hangup().expectHangup();
  });

  it('without TALK_DETECT on the channel, talk is not reported at all', async () => {
    h.asterisk.phone('2002').willAnswerAfter(0).willTalk(300, { afterAnswerMs: 0 }).willHangUpAfter(1500);
    const leg = await h.dial('2002');
    await answered(leg);
    const seen = talkEvents(leg);
    await h.asterisk.waitForEvent('ChannelDestroyed', (e) => e.channel.id === leg.id);
    expect(seen).to.deep.equal([]);
    expect(h.asterisk.events.filter((e) => e.event.type.startsWith('ChannelTalking'))).to.have.length(0);
  });

  it('a value Asterisk refuses is refused the same way (400 Failed to execute function), as a permanent error', async () => {
    h.asterisk.phone('2003').willAnswerAfter(0);
    const leg = await h.dial('2003');
    await answered(leg);
    const err = await leg.detectTalk({ silenceMs: 0, talkingThreshold: null }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.include({ temporary: false });
    expect(String((err as Error).message)).to.match(/Failed to execute function/);
    await leg.hangup();
  });

  it('the fake parses TALK_DETECT exactly as func_talkdetect.c does', () => {
    expect(writeTalkDetect('set', '')).to.deep.equal({ silenceMs: 2500, talkingThreshold: null });
    expect(writeTalkDetect('SET', '1200,300')).to.deep.equal({ silenceMs: 1200, talkingThreshold: 300 });
    expect(writeTalkDetect('set', ' 900abc')).to.deep.equal({ silenceMs: 900, talkingThreshold: null }); // sscanf %d stops at the letters
    expect(writeTalkDetect('set', ',128')).to.deep.equal({ silenceMs: 2500, talkingThreshold: 128 });
    expect(writeTalkDetect('remove', '')).to.equal('remove');
    for (const [arg, value] of [
      ['set', '0'],
      ['set', '-5'],
      ['set', 'abc'],
      ['set', '1000,0'],
      ['set', '1000,x'],
      ['', ''],
      ['on', ''],
    ])
      expect(writeTalkDetect(arg, value), `${arg}=${value}`).to.equal(null);
  });

  it('the variable needs a name, a live channel in Stasis, and only known functions', async () => {
    h.asterisk.phone('2004').willAnswerAfter(0);
    const leg = await h.dial('2004');
    await answered(leg);
    const post = (q: string) =>
      fetch(`${h.asterisk.url}/ari/channels/${q}`, {
        method: 'POST',
        headers: { Authorization: 'Basic ' + Buffer.from(`${h.asterisk.user}:${h.asterisk.password}`).toString('base64') },
      });
    expect((await post(`${leg.id}/variable?variable=`)).status).to.equal(400);
    expect((await post(`nope/variable?variable=TALK_DETECT(set)`)).status).to.equal(404);
    expect((await post(`${leg.id}/variable?variable=NO_SUCH_FUNC(x)&value=1`)).status).to.equal(400);
    expect((await post(`${leg.id}/variable?variable=TALK_DETECT(remove)`)).status).to.equal(400); // not set yet: -1
    expect((await post(`${leg.id}/variable?variable=TALK_DETECT(set)&value=1000`)).status).to.equal(204);
    expect((await post(`${leg.id}/variable?variable=TALK_DETECT(remove)`)).status).to.equal(204);
    await leg.hangup();
  });
});
