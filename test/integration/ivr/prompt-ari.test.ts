import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { prompt } from '../../../src/ivr/prompt';
import { FakeAsterisk } from '../../fakes/asterisk';
import { answered, ended, Harness, makeHarness } from '../telephony/harness';

describe('prompt helper over real ari-client and the fake Asterisk', () => {
  let h: Harness;
  const clock = new SystemClock();
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  it('hang up during the prompt: PlaybackFinished failed, status hangup, no listeners left', async () => {
    h.asterisk.phone('1009').willAnswerAfter(0).willHangUpDuringPrompt(1000);
    const leg = await h.dial('1009');
    await answered(leg);
    const r = await prompt(leg, clock, { media: ['sound:hello-world', 'sound:tt-monkeys'], firstDigitTimeoutMs: 5000 });
    expect(r).to.deep.equal({ status: 'hangup', digits: '' });
    const fin = await h.asterisk.waitForEvent('PlaybackFinished');
    expect(fin.playback.state).to.equal('failed');
    await ended(leg);
    expect((leg as unknown as { listenerCount(): number }).listenerCount()).to.equal(0);
  });

  it('barge-in: DELETE /playbacks and PlaybackFinished done, the digit counts', async () => {
    h.asterisk.phone('1001').willAnswerAfter(500).willPress('1', { afterPlaybackStartMs: 300 });
    const leg = await h.dial('1001');
    await answered(leg);
    const r = await prompt(leg, clock, { media: ['sound:tt-monkeys'], firstDigitTimeoutMs: 5000 });
    expect(r).to.deep.equal({ status: 'digits', digits: '1' });
    await h.asterisk.waitForRequest('DELETE', /^\/ari\/playbacks\//);
    const fin = await h.asterisk.waitForEvent('PlaybackFinished');
    expect(fin.playback.state).to.equal('done');
    await leg.hangup();
  });

  it('multi-digit entry with terminator (exten 1008: 123#)', async () => {
    h.asterisk.phone('1008').willAnswerAfter(0).willPress('123#', { afterAnswerMs: 2000, gapMs: 400 });
    const leg = await h.dial('1008');
    await answered(leg);
    const r = await prompt(leg, clock, {
      media: ['sound:hello-world'],
      maxDigits: 8,
      firstDigitTimeoutMs: 3000,
      interDigitTimeoutMs: 2000,
    });
    expect(r).to.deep.equal({ status: 'digits', digits: '123' });
    await leg.hangup();
    expect((await ended(leg)).outcome).to.equal('answered');
  });

  it('a media list plays in order (PlaybackContinuing) and a missing sound fails fast but the prompt goes on', async () => {
    await h.close();
    const asterisk = await FakeAsterisk.start({ timeScale: 0.01, mediaExists: (u) => !u.includes('missing') });
    h = await makeHarness({ asterisk });
    const phone = asterisk.phone('1020').willAnswerAfter(0);
    const leg = await h.dial('1020');
    await answered(leg);
    const pb = await leg.play(['sound:dozvon/greeting', 'sound:dozvon/menu']);
    expect(await pb.finished).to.equal('done');
    expect(asterisk.mediaPlayed(leg.id)).to.deep.equal(['sound:dozvon/greeting', 'sound:dozvon/menu']);
    expect(asterisk.events.some((e) => e.event.type === 'PlaybackContinuing')).to.equal(true);
    const p = prompt(leg, clock, { media: ['sound:missing-file'], firstDigitTimeoutMs: 300 });
    const call = await phone.expectCall();
    await call.expectPlayback('missing-file');
    call.press('7');
    expect(await p).to.deep.equal({ status: 'digits', digits: '7' });
    await leg.hangup();
  });
});
