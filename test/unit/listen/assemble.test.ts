/** Listen's WAV: parts joined in order at one rate, lengths kept, failed and missing parts left out. */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planListen, renderListen, decodePcm, type ListenRoots } from '../../../src/listen';
import { encodeWav } from '../../../src/tts/audio/wav';

const SPEECH_A = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const SPEECH_B = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

/** A 440 Hz tone (amplitude 0.5) or silence, `ms` long, as 16-bit samples. */
function samples(ms: number, rate: number, tone: boolean): Int16Array {
  const out = new Int16Array(Math.round((ms / 1000) * rate));
  if (tone) for (let i = 0; i < out.length; i++) out[i] = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return out;
}

function rms(s: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (s[i] / 32768) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

describe('listen: assembling one WAV', () => {
  let dir: string;
  let roots: ListenRoots;
  const url = (file: string) => `sound:http://dozvon.test:8080/media/${file}`;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dozvon-listen-'));
    roots = { ttsDir: path.join(dir, 'tts'), soundsRoot: path.join(dir, 'sounds'), publicUrl: 'http://dozvon.test:8080/' };
    mkdirSync(roots.ttsDir, { recursive: true });
    mkdirSync(path.join(roots.soundsRoot, 'en', 'dozvon'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const prompt = (id: string, s: Int16Array, rate: number) =>
    writeFileSync(path.join(roots.soundsRoot, 'en', 'dozvon', `${id}.wav`), encodeWav(s, rate));
  const speech = (file: string, data: Buffer) => writeFileSync(path.join(roots.ttsDir, file), data);

  it('an 8 kHz prompt and 16 kHz speech: one 8 kHz WAV as long as both, in the order played', async () => {
    prompt('greeting', samples(1000, 8000, true), 8000);
    speech(`${SPEECH_A}.wav`, encodeWav(samples(750, 16000, false), 16000));
    const plan = await planListen(
      [
        { media: ['sound:dozvon/greeting'], lang: 'en' },
        { media: [url(`${SPEECH_A}.wav`)], lang: 'en' },
      ],
      roots,
    );
    expect(plan.parts.map((p) => p.status)).to.deep.equal(['ok', 'ok']);
    const audio = await renderListen(plan);
    expect(audio).to.not.equal(null);
    const wav = decodePcm(audio!.wav, 'wav');
    expect(audio!.rate).to.equal(8000);
    expect(wav.rate).to.equal(8000);
    expect(wav.samples.length / wav.rate).to.be.closeTo(1.75, 1.75 * 0.01);
    expect(audio!.durationMs).to.be.closeTo(1750, 17.5);
    // The tone first, then the silence: order kept, audio really copied.
    expect(rms(wav.samples, 100, 7900)).to.be.greaterThan(0.3);
    expect(rms(wav.samples, 8100, wav.samples.length)).to.be.lessThan(0.01);
  });

  it('a playback cut short (a digit pressed over the menu) is heard only as far as it ran', async () => {
    prompt('greeting', samples(1000, 8000, true), 8000);
    prompt('menu', samples(4000, 8000, true), 8000);
    prompt('goodbye', samples(500, 8000, true), 8000);
    // The menu list [menu, greeting] was stopped 1.5 s in: only 1.5 s of it (all from "menu").
    const plan = await planListen(
      [
        { media: ['sound:dozvon/greeting'], lang: 'en' },
        { media: ['sound:dozvon/menu', 'sound:dozvon/greeting'], lang: 'en', cutAfterMs: 1500 },
        { media: ['sound:dozvon/goodbye'], lang: 'en' },
      ],
      roots,
    );
    expect(plan.cuts.get(1)).to.equal(1500);
    const audio = await renderListen(plan);
    expect(audio!.durationMs).to.be.closeTo(1000 + 1500 + 500, 5);
    expect(audio!.parts.map((p) => p.cut ?? false)).to.deep.equal([false, true, true, false]); // the list's second item never played
  });

  it('all sources at 16 kHz (a WAV and raw .sln16): the WAV stays 16 kHz', async () => {
    speech(`${SPEECH_A}.wav`, encodeWav(samples(500, 16000, true), 16000));
    const raw = samples(1250, 16000, true);
    speech(`${SPEECH_B}.sln16`, Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    const audio = await renderListen(await planListen([{ media: [url(`${SPEECH_A}.wav`), url(`${SPEECH_B}.sln16`)], lang: 'en' }], roots));
    const wav = decodePcm(audio!.wav, 'wav');
    expect(wav.rate).to.equal(16000);
    expect(wav.samples.length / wav.rate).to.be.closeTo(1.75, 1.75 * 0.01);
    expect(audio!.wav.toString('ascii', 0, 4)).to.equal('RIFF');
  });

  it('a playback that failed on the call is listed and left out; the prompts that replaced it are in', async () => {
    speech(`${SPEECH_A}.wav`, encodeWav(samples(3000, 8000, true), 8000));
    prompt('incident', samples(600, 8000, true), 8000);
    prompt('menu', samples(900, 8000, true), 8000);
    const plan = await planListen(
      [
        { media: [url(`${SPEECH_A}.wav`)], lang: 'en', failed: true },
        { media: ['sound:dozvon/incident', 'number:3', 'sound:dozvon/menu'], lang: 'en' },
      ],
      roots,
    );
    expect(plan.parts.map((p) => [p.what.type, p.status])).to.deep.equal([
      ['speech', 'failed'],
      ['prompt', 'ok'],
      ['number', 'asterisk'],
      ['prompt', 'ok'],
    ]);
    const audio = await renderListen(plan);
    // 0.6 s + 0.6 s of silence for Asterisk's "three" + 0.9 s; the failed 3 s are not there.
    expect(audio!.durationMs).to.be.closeTo(2100, 21);
  });

  it('speech pruned from the cache is "missing" and skipped; with nothing left there is nothing to play', async () => {
    prompt('goodbye', samples(400, 8000, true), 8000);
    const plan = await planListen([{ media: [url(`${SPEECH_A}.wav`), 'sound:dozvon/goodbye'], lang: 'en' }], roots);
    expect(plan.parts.map((p) => p.status)).to.deep.equal(['missing', 'ok']);
    expect((await renderListen(plan))!.durationMs).to.be.closeTo(400, 4);
    const gone = await planListen([{ media: [url(`${SPEECH_A}.wav`), 'number:5'], lang: 'en' }], roots);
    expect(gone.playable).to.equal(false);
    expect(await renderListen(gone)).to.equal(null);
  });

  it('a file that is not audio is listed as unreadable, not a crash', async () => {
    speech(`${SPEECH_A}.wav`, Buffer.from('{"error":"not-found"}'));
    prompt('menu', samples(500, 8000, true), 8000);
    const audio = await renderListen(await planListen([{ media: [url(`${SPEECH_A}.wav`), 'sound:dozvon/menu'], lang: 'en' }], roots));
    expect(audio!.parts.map((p) => p.status)).to.deep.equal(['unreadable', 'ok']);
    expect(audio!.durationMs).to.be.closeTo(500, 5);
  });

  it('names speech before the menu the summary (and its replays), speech after it the reply', async () => {
    const plan = await planListen(
      [
        { media: ['sound:dozvon/greeting', url(`${SPEECH_A}.wav`), 'sound:dozvon/menu'], lang: 'en' },
        { media: [url(`${SPEECH_A}.wav`), 'sound:dozvon/menu'], lang: 'en' },
        { media: [url(`${SPEECH_B}.wav`)], lang: 'en' },
      ],
      roots,
    );
    const roles = plan.parts.filter((p) => p.what.type === 'speech').map((p) => (p.what as { role: string }).role);
    expect(roles).to.deep.equal(['summary', 'summary', 'reply']);
  });

  it('1 pressed during the greeting: the reply that followed is named the reply, as the call recorded it', async () => {
    const plan = await planListen(
      [
        { media: ['sound:dozvon/greeting'], lang: 'en', cutAfterMs: 800 },
        { media: [url(`${SPEECH_B}.wav`)], lang: 'en', speech: 'reply' },
      ],
      roots,
    );
    const roles = plan.parts.filter((p) => p.what.type === 'speech').map((p) => (p.what as { role: string }).role);
    expect(roles).to.deep.equal(['reply']);
  });

  it('rows written badly (not a list, items without media) show as nothing rather than failing', async () => {
    expect((await planListen(null, roots)).parts).to.deep.equal([]);
    expect((await planListen([{ lang: 'en' } as never, { media: [1], lang: 'en' } as never], roots)).parts).to.deep.equal([]);
  });
});
