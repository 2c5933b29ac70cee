import { expect } from 'chai';
import { CallLeg } from '../../../src/telephony';
import { answered, ended, Harness, makeHarness, nextDigit } from './harness';

describe('AriTelephony: inbound hotline, bridge and record', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  function nextInbound(): Promise<{ leg: CallLeg; args: string[] }> {
    return new Promise((resolve) => h.tel.onInbound((leg, args) => resolve({ leg, args })));
  }

  it('inbound: StasisStart in Ring with args, app answers, caller presses 1, StasisEnd ends it (no ChannelDestroyed)', async () => {
    const got = nextInbound();
    const caller = h.asterisk.inboundCall({ from: '+15557654321', args: ['hotline'] });
    const { leg, args } = await got;
    expect(args).to.deep.equal(['hotline']);
    expect(leg).to.include({ direction: 'inbound', callerNumber: '+15557654321', id: caller.channelId });
    expect(leg.isUp()).to.equal(false);
    await leg.answer();
    expect(leg.isUp()).to.equal(true);
    const digit = nextDigit(leg);
    caller.press('1');
    expect(await digit).to.equal('1');
    caller.hangup();
    const end = await ended(leg);
    expect(end).to.include({ outcome: 'answered', cause: 16 });
    const types = h.asterisk.events.filter((e) => e.event.channel?.id === leg.id).map((e) => e.event.type);
    expect(types[0]).to.equal('StasisStart');
    expect(types[types.length - 1]).to.equal('StasisEnd');
    expect(types).to.not.include('ChannelDestroyed');
  });

  it('bridges a hotline caller with an engineer, then destroys the bridge', async () => {
    const got = nextInbound();
    h.asterisk.inboundCall({ from: '+15557654321' });
    const { leg: caller } = await got;
    await caller.answer();
    h.asterisk.phone('1001').willAnswerAfter(0);
    const engineer = await h.dial('1001');
    await answered(engineer);
    const bridge = await h.tel.bridge(caller, engineer);
    const entered = h.asterisk.events.filter((e) => e.event.type === 'ChannelEnteredBridge').map((e) => e.event.channel.id);
    expect(entered).to.deep.equal([caller.id, engineer.id]);
    await bridge.destroy();
    await h.asterisk.waitForEvent('BridgeDestroyed');
    await bridge.destroy(); // twice is fine
    await Promise.all([caller.hangup(), engineer.hangup()]);
  });

  it('records a leg (voicemail): live recording, stop, WAV bytes from the stored file', async () => {
    const got = nextInbound();
    h.asterisk.inboundCall({ from: '+15557654321' });
    const { leg } = await got;
    await leg.answer();
    const rec = await leg.record({ name: 'vm-test-1', maxDurationSec: 60, beep: true });
    await new Promise((r) => setTimeout(r, 30)); // 3 s of Asterisk time at timeScale 0.01
    await rec.stop();
    const res = await rec.finished;
    expect(res.state).to.equal('done');
    expect(res.durationSec).to.be.at.least(2); // waited 30 ms real = 3 s of Asterisk time (more under load)
    const wav = await rec.fetch();
    expect(wav.subarray(0, 4).toString()).to.equal('RIFF');
    expect(wav.subarray(8, 12).toString()).to.equal('WAVE');
    expect(wav.length).to.be.greaterThan(44 + 16000); // more than a second of 8 kHz 16-bit audio
    expect(h.asterisk.requests.find((r) => r.path.endsWith('/record'))?.query).to.include({
      name: 'vm-test-1',
      format: 'wav',
      beep: 'true',
      maxDurationSeconds: '60',
    });
    await leg.hangup();
  });

  it('a recording cut by max duration finishes by itself', async () => {
    const got = nextInbound();
    h.asterisk.inboundCall({ from: '+15557654321' });
    const { leg } = await got;
    await leg.answer();
    const rec = await leg.record({ name: 'vm-test-2', maxDurationSec: 2, beep: false });
    expect((await rec.finished).state).to.equal('done');
    await leg.hangup();
  });
});
