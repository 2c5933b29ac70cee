import { expect } from 'chai';
import type { CallLeg, TalkEvent } from '../../../src/telephony';
import { writeTalkDetect } from '../../fakes/asterisk/talk';
import { answered, Harness, makeHarness } from './harness';
import { captureLogs } from '../../helpers/log-scan';

function talkEvents(leg: CallLeg): TalkEvent[] {
  const seen: TalkEvent[] = [];
  leg.on('talk', (e) => seen.push(e));
  return seen;
}

async function heard(seen: TalkEvent[], n: number): Promise<void> {
  for (let i = 0; i < 100 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10)); // the app reads it a moment later
}

describe('AriTelephony ↔ fake Asterisk: talk detection (TALK_DETECT as func_talkdetect.c accepts it)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  it('set by the originate, a phone that talks is reported as talk started / finished, and nothing is asked at the answer', async () => {
    const phone = h.asterisk.phone('2001').willAnswerAfter(0).willTalk(3000, { afterAnswerMs: 200 });
    const leg = await h.dial('2001', { talkDetect: { silenceMs: 800, talkingThreshold: null } });
    const seen = talkEvents(leg);
    await answered(leg);
    await h.asterisk.waitForEvent('ChannelTalkingFinished', (e) => e.channel.id === leg.id, 3000);
    await heard(seen, 2);
    expect(seen).to.deep.equal([{ talking: true }, { talking: false, durationMs: 3000 }]);
    expect(
      h.asterisk.requests.filter((r) => r.path.endsWith('/variable')),
      'variable requests',
    ).to.deep.equal([]);
    await phone.hangup().expectHangup();
  });

  it('the originate carries TALK_DETECT(set) with both thresholds in its JSON body, the rest in its query', async () => {
    h.asterisk.phone('2005').willAnswerAfter(0);
    const leg = await h.dial('2005', { talkDetect: { silenceMs: 1200, talkingThreshold: 256 } });
    const originate = h.asterisk.requests.find((r) => r.method === 'POST' && r.path === '/ari/channels')!;
    expect(originate.body).to.deep.equal({ variables: { 'TALK_DETECT(set)': '1200,256' } });
    expect(originate.query).to.include({ channelId: leg.id, app: h.asterisk.appNames()[0] });
    await leg.hangup();
  });

  it('early media heard before the answer: the talk going on at the answer starts there, and counts from there', async () => {
    // Real time: the leg measures the part before the answer on its own clock.
    await h.close();
    h = await makeHarness({ timeScale: 1 });
    // A ringback of 400 ms heard as talk, then a machine's greeting of 700 ms from the answer on: one stretch to the detector.
    h.asterisk.phone('2006').willSendEarlyMedia().willAnswerAfter(400).willTalk(700, { afterAnswerMs: 0 });
    const leg = await h.dial('2006', { talkDetect: { silenceMs: 200, talkingThreshold: null } });
    const seen = talkEvents(leg);
    const order: string[] = [];
    let talkingAtAnswer: boolean | null = null;
    leg.on('answered', () => {
      order.push('answered');
      // Read a moment later, as a call's voicemail watch starts after the answer.
      queueMicrotask(() => (talkingAtAnswer = leg.isTalking()));
    });
    leg.on('talk', (e) => order.push(e.talking ? 'talk' : 'quiet'));
    await h.asterisk.waitForEvent('ChannelTalkingFinished', (e) => e.channel.id === leg.id, 5000);
    await heard(seen, 2);
    const started = h.asterisk.events.find((e) => e.event.type === 'ChannelTalkingStarted')!;
    const up = h.asterisk.events.find((e) => e.event.type === 'StasisStart' && e.event.channel?.id === leg.id)!;
    expect(h.asterisk.events.indexOf(started), 'Asterisk heard talk before the answer').to.be.below(h.asterisk.events.indexOf(up));
    expect(order).to.deep.equal(['answered', 'talk', 'quiet']);
    expect(talkingAtAnswer, 'talking, for a listener that comes after the answer').to.equal(true);
    expect(leg.isTalking()).to.equal(false);
    // Asterisk reports the whole stretch (1.1 s); the leg, the part after the answer: the greeting.
    expect(h.asterisk.events.find((e) => e.event.type === 'ChannelTalkingFinished')!.event.duration).to.be.within(1100, 1250);
    expect((seen[1] as { durationMs: number }).durationMs).to.be.within(600, 850);
    await leg.hangup();
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

  it('a value Asterisk refuses at the originate only costs the detection: the call goes on, with no talk reported', async () => {
    h.asterisk.phone('2003').willAnswerAfter(0).willTalk(300, { afterAnswerMs: 0 }).willHangUpAfter(1500);
    const leg = await h.dial('2003', { talkDetect: { silenceMs: 0, talkingThreshold: null } });
    await answered(leg);
    await h.asterisk.waitForEvent('ChannelDestroyed', (e) => e.channel.id === leg.id);
    expect(h.asterisk.events.filter((e) => e.event.type.startsWith('ChannelTalking'))).to.have.length(0);
  });

  it('on an Asterisk without func_talkdetect, the first call that asks for detection says so in the log, once; a call that does not ask never checks', async () => {
    const logs = captureLogs('info');
    await h.close();
    h = await makeHarness({ tel: { log: logs.logger } });
    h.asterisk.modules.delete('func_talkdetect.so');
    const warnings = async () =>
      (await logs.lines()).map((l) => JSON.parse(l) as { msg: string; module?: string }).filter((l) => l.module === 'func_talkdetect.so');
    h.asterisk.phone('2007').willAnswerAfter(0);
    await (await h.dial('2007')).hangup();
    expect(
      h.asterisk.requests.filter((r) => r.path.includes('/modules/')),
      'checks without detection',
    ).to.have.length(0);
    for (let i = 0; i < 2; i++) await (await h.dial('2007', { talkDetect: { silenceMs: 1000, talkingThreshold: null } })).hangup();
    for (let i = 0; i < 100 && (await warnings()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.asterisk.requests.filter((r) => r.path === '/ari/asterisk/modules/func_talkdetect.so')).to.have.length(1);
    const w = await warnings();
    expect(w).to.have.length(1);
    expect(w[0].msg).to.match(/func_talkdetect\.so is not loaded on this Asterisk: answering machines are not detected/);
  });

  it('on an Asterisk with it, the check finds it running and logs nothing', async () => {
    const logs = captureLogs('info');
    await h.close();
    h = await makeHarness({ tel: { log: logs.logger } });
    h.asterisk.phone('2008').willAnswerAfter(0);
    await (await h.dial('2008', { talkDetect: { silenceMs: 1000, talkingThreshold: null } })).hangup();
    await h.asterisk.waitFor(
      () => h.asterisk.requests.some((r) => r.path === '/ari/asterisk/modules/func_talkdetect.so'),
      2000,
      'the check',
    );
    await new Promise((r) => setTimeout(r, 50));
    expect((await logs.lines()).filter((l) => l.includes('func_talkdetect'))).to.deep.equal([]);
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
