import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { AppError } from '../../../src/core/errors';
import type { Lang, Speech, Tts, TtsHealth } from '../../../src/tts';
import { loadCatalogue, PromptTts } from '../../../src/tts';
import { VerificationCaller, VerificationCallOptions } from '../../../src/verify';
import { FakeAsterisk, FakeSoundsDir } from '../../fakes/asterisk';
import { Harness, makeHarness } from '../telephony/harness';
import { cloudVerified, makeRig, Rig } from './helpers';

/**
 * Speaks every sentence as one recognisable sound, so the test can follow the call by ear. The
 * sound really exists (in `sounds`, which the fake Asterisk reads), or Asterisk would not play it.
 */
class FakeTts implements Tts {
  readonly said: string[] = [];
  async render(text: string, lang: Lang): Promise<Speech> {
    this.said.push(text);
    const name = `fake-tts/${text
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    return { media: [sounds.add(name, { lang, ms: 60 * text.length })], lang, engine: 'espeak', cached: false };
  }
  async health(): Promise<TtsHealth> {
    return { ok: true, engines: [{ engine: 'espeak', ok: true }] };
  }
}

/** Where FakeTts puts its sounds: one folder for the whole file. */
let sounds: FakeSoundsDir;

describe('phone verification by call (real ari-client, fake Asterisk)', () => {
  before(() => (sounds = new FakeSoundsDir()));
  after(() => sounds.remove());
  const clock = new SystemClock();
  let h: Harness;
  let rig: Rig;
  const email = 'bob@example.com';

  async function setup(tts: Tts = new FakeTts(), opts: Partial<VerificationCallOptions> = {}): Promise<void> {
    h = await makeHarness({ asterisk: await FakeAsterisk.start({ timeScale: 0.01, soundRoots: [sounds.root] }) });
    const caller = new VerificationCaller(
      { telephony: h.tel, tts, clock },
      {
        dialTemplate: 'Local/{number}@oncall-test-phones',
        callerId: 'dozvon',
        firstDigitTimeoutMs: 2000,
        interDigitTimeoutMs: 1000,
        ...opts,
      },
    );
    rig = await makeRig(clock, { caller });
    // A SIP extension: no SMS sender takes it, so the call is the default method.
    await rig.users.create({ email, name: 'Bob', phone: '1001' }, { lang: 'en' });
  }
  afterEach(async () => {
    await rig?.close();
    await h?.close();
  });

  const codeOf = (uri: string) => uri.slice('digits:'.length);

  it('reads the code twice as digits, asks for it, and the typed code verifies at once', async () => {
    await setup();
    const phone = h.asterisk.phone('1001').willAnswerAfter(500);
    const started = await rig.verifier.start('test', email);
    expect(started.method).to.equal('call');
    const call = await phone.expectCall();
    await call.expectPlayback('fake-tts/your-dozvon-verification-code-is');
    const first = await call.expectPlayback(/^digits:\d{6}$/);
    await call.expectPlayback('fake-tts/your-dozvon-verification-code-is');
    const second = await call.expectPlayback(/^digits:\d{6}$/);
    expect(second).to.equal(first);
    await call.expectPlayback('fake-tts/enter-the-code-to-confirm');
    expect(await cloudVerified(rig, email)).to.equal(false); // pending while the code is out
    call.press(codeOf(first));
    const r = await started.call!;
    expect(r).to.deep.equal({ outcome: 'verified', answered: true, cause: 'code entered' });
    expect(await cloudVerified(rig, email)).to.equal(true);
    await call.expectPlayback('fake-tts/thank-you-your-number-is-verified-goodbye');
    await call.expectHangup();
    expect((await rig.verifier.confirm('test', email, codeOf(first))).status).to.equal('none');
  });

  it('a wrong code is answered "try again"; the right one then verifies', async () => {
    await setup();
    const phone = h.asterisk.phone('1001').willAnswerAfter(0);
    const started = await rig.verifier.start('test', email, { method: 'call' });
    const call = await phone.expectCall();
    const code = codeOf(await call.expectPlayback(/^digits:\d{6}$/));
    await call.expectPlayback('enter-the-code');
    call.press(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await call.expectPlayback('fake-tts/that-code-is-not-right-please-try-again');
    await call.expectPlayback('enter-the-code');
    expect(await cloudVerified(rig, email)).to.equal(false);
    call.press(code + '#');
    expect((await started.call!).outcome).to.equal('verified');
    expect(await cloudVerified(rig, email)).to.equal(true);
  });

  it('no answer: the code is void, the old verified flag stays, and the minute between calls still holds', async () => {
    await setup(new FakeTts(), { ringTimeoutSec: 5 });
    h.asterisk.phone('1001').willRingOut();
    const started = await rig.verifier.start('test', email, { method: 'call' });
    const r = await started.call!;
    expect(r.outcome).to.equal('not-answered');
    expect(r.answered).to.equal(false);
    expect(await cloudVerified(rig, email)).to.equal(true);
    expect((await rig.verifier.confirm('test', email, '123456')).status).to.equal('none');
    try {
      await rig.verifier.start('test', email, { method: 'call' });
      expect.fail('a second call within a minute');
    } catch (e) {
      expect((e as AppError).code).to.equal('verify-too-soon');
    }
  });

  it('silence: the code is read again once, then the call ends as no-digits and the code stays pending', async () => {
    await setup(new FakeTts(), { firstDigitTimeoutMs: 300 });
    const phone = h.asterisk.phone('1001').willAnswerAfter(0);
    const started = await rig.verifier.start('test', email, { method: 'call' });
    const r = await started.call!;
    expect(r.outcome).to.equal('no-digits');
    const played = (await phone.expectCall()).played().filter((u) => u.startsWith('digits:'));
    expect(played).to.have.length(4); // twice per reading, read twice
    expect(phone.calls[0].played()).to.include('sound:fake-tts/no-code-was-entered-goodbye');
    expect(await cloudVerified(rig, email)).to.equal(false);
    expect((await rig.verifier.confirm('test', email, codeOf(played[0]))).status).to.equal('ok'); // still usable, e.g. from the CLI
  });

  it('a caller who hangs up mid-code leaves the code pending; a non-dialable number fails before dialling and frees the minute', async () => {
    await setup();
    h.asterisk.phone('1001').willAnswerAfter(0).willHangUpDuringPrompt(500);
    const started = await rig.verifier.start('test', email, { method: 'call' });
    expect((await started.call!).outcome).to.equal('hangup');
    expect(await cloudVerified(rig, email)).to.equal(false);
    await rig.users.create({ email: 'weird@example.com', name: 'Weird', phone: '1001&PJSIP/666' }, { lang: 'en' });
    try {
      await rig.verifier.start('test', 'weird@example.com', { method: 'call' });
      expect.fail('dialled a smuggled dial string');
    } catch (e) {
      expect((e as AppError).code).to.equal('bad-number');
    }
    expect(h.asterisk.requests.filter((r) => r.method === 'POST' && /^\/ari\/channels(\?|$)/.test(r.path))).to.have.length(1);
    expect((await rig.tdb.db('phone_verifications').where({ state: 'failed' }).first()).sent_at).to.equal(0);
  });

  it('with TTS off (prompts only) the digits still arrive and the code verifies', async () => {
    await setup(new PromptTts(loadCatalogue()));
    const phone = h.asterisk.phone('1001').willAnswerAfter(0);
    const started = await rig.verifier.start('test', email, { method: 'call' });
    const call = await phone.expectCall();
    await call.expectPlayback('sound:dozvon/greeting');
    const code = codeOf(await call.expectPlayback(/^digits:\d{6}$/));
    call.press(code);
    expect((await started.call!).outcome).to.equal('verified');
    expect(call.played()).not.to.include('sound:dozvon/incident');
  });
});
