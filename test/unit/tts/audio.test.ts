import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AudioConverter } from '../../../src/tts/audio/convert';
import { isMono, Mp3Decoder } from '../../../src/tts/audio/mp3';
import { Resampler } from '../../../src/tts/audio/resample';
import { encodeWav, parseWav } from '../../../src/tts/audio/wav';

const FIX = path.resolve(__dirname, '../../fixtures/tts');
const meta = JSON.parse(readFileSync(path.join(FIX, 'speech.json'), 'utf8')) as Record<string, { file: string; durationMs: number }>;

function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** RMS of the middle half, away from the edges where the filter sees silence. */
function rms(x: Float32Array): number {
  const a = Math.floor(x.length / 4);
  const b = Math.floor((3 * x.length) / 4);
  let s = 0;
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return Math.sqrt(s / (b - a));
}

describe('tts audio', () => {
  it('writes a plain 44-byte PCM WAV header that reads back', () => {
    const samples = Int16Array.from([0, 1000, -1000, 32767, -32768]);
    const wav = encodeWav(samples, 8000);
    expect(wav.length).to.equal(44 + 10);
    expect(wav.toString('ascii', 0, 4)).to.equal('RIFF');
    expect(wav.readUInt32LE(4)).to.equal(36 + 10);
    expect(wav.toString('ascii', 36, 40)).to.equal('data');
    const back = parseWav(wav);
    expect(back.sampleRate).to.equal(8000);
    expect(back.channels).to.equal(1);
    expect([...back.samples]).to.deep.equal([...samples]);
  });

  it('keeps speech-band tones and suppresses what would alias (24 kHz → 8 kHz)', () => {
    const r = new Resampler();
    const pass = r.resample(tone(1000, 24000, 0.5), 24000, 8000);
    expect(pass.length).to.equal(4000);
    expect(rms(pass) / (0.5 / Math.SQRT2)).to.be.within(0.95, 1.05);
    // 6 kHz is above the 4 kHz Nyquist of the output: naive decimation would fold it to 2 kHz at full level.
    const stop = r.resample(tone(6000, 24000, 0.5), 24000, 8000);
    const db = 20 * Math.log10(rms(stop) / (0.5 / Math.SQRT2));
    expect(db).to.be.below(-50);
  });

  it('resamples espeak-ng rates (22050 Hz) and upsamples to 16 kHz without losing level', () => {
    const r = new Resampler();
    const down = r.resample(tone(500, 22050, 1), 22050, 8000);
    expect(down.length).to.equal(8000);
    expect(rms(down) / (0.5 / Math.SQRT2)).to.be.within(0.95, 1.05);
    const up = r.resample(tone(500, 8000, 1), 8000, 16000);
    expect(up.length).to.equal(16000);
    expect(rms(up) / (0.5 / Math.SQRT2)).to.be.within(0.95, 1.05);
  });

  /** Our WAV (16-bit) back to floats. */
  const wav8 = (pcm: { samples: Float32Array; sampleRate: number }) =>
    Float32Array.from(parseWav(new AudioConverter('wav8').convert(pcm)).samples, (v) => v / 32767);

  for (const rate of [24000, 48000, 16000, 22050]) {
    it(`wav8 from ${rate} Hz: a 6 kHz tone comes out at least 20 dB (in fact 50 dB) below a 1 kHz one`, () => {
      const pass = wav8({ samples: tone(1000, rate, 0.5), sampleRate: rate });
      const stop = wav8({ samples: tone(6000, rate, 0.5), sampleRate: rate });
      expect(pass.length).to.equal(4000);
      expect(stop.length).to.equal(4000);
      const db = 20 * Math.log10(rms(stop) / rms(pass));
      expect(db).to.be.below(-20);
      expect(db).to.be.below(-50);
      // Just under the 4 kHz Nyquist limit folds back too: 4.6 kHz would land on 3.4 kHz.
      const edge = wav8({ samples: tone(4600, rate, 0.5), sampleRate: rate });
      expect(20 * Math.log10(rms(edge) / rms(pass))).to.be.below(-20);
    });

    it(`wav8 from ${rate} Hz keeps the speech band sample for sample (level and timing)`, () => {
      for (const f of [300, 1000, 3000]) {
        const out = wav8({ samples: tone(f, rate, 0.5), sampleRate: rate });
        const want = tone(f, 8000, 0.5);
        let worst = 0;
        for (let i = 500; i < 3500; i++) worst = Math.max(worst, Math.abs(out[i] - want[i]));
        // 3 kHz sits on the filter's slope (cut-off 3.6 kHz): allow its gentle roll-off.
        expect(worst, `${f} Hz`).to.be.below(f === 3000 ? 0.15 : 0.01);
      }
    });
  }

  it('clips instead of wrapping around when the filter overshoots full scale', () => {
    const square = new Float32Array(24000).map((_, i) => (Math.floor(i / 12) % 2 ? 1 : -1));
    const out = parseWav(new AudioConverter('wav8').convert({ samples: square, sampleRate: 24000 })).samples;
    const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).to.be.at.most(32768);
    // A wrapped sample would flip sign in the middle of a half-wave (12 input samples = 4 output samples).
    for (let i = 100; i < 7900; i += 8) expect(Math.sign(out[i + 1]) * Math.sign(out[i + 2])).to.not.equal(-1);
  });

  it('tells a mono MP3 from a stereo one by the first frame header', () => {
    expect(isMono(new Uint8Array(readFileSync(path.join(FIX, meta.en.file))))).to.equal(true);
    const frame = (mode: number) => Uint8Array.from([0xff, 0xf3, 0x44, mode << 6, 0, 0]);
    expect(isMono(frame(3))).to.equal(true);
    expect(isMono(frame(0))).to.equal(false); // stereo
    expect(isMono(frame(1))).to.equal(false); // joint stereo
    expect(isMono(Uint8Array.from([1, 2, 3]))).to.equal(false); // unreadable: downmix, always right
  });

  it('reuses one decoder across streams and renders, giving the same audio as a new one', async () => {
    const mp3 = new Uint8Array(readFileSync(path.join(FIX, meta.ru.file)));
    const fresh = new Mp3Decoder();
    const want = (await fresh.decode([mp3])).samples;
    fresh.free();
    const reused = new Mp3Decoder();
    for (let round = 0; round < 3; round++) {
      const got = await reused.decode([mp3, mp3, mp3]);
      expect(got.samples.length).to.equal(3 * want.length);
      for (let part = 0; part < 3; part++) expect(got.samples.subarray(part * want.length, (part + 1) * want.length)).to.deep.equal(want);
    }
    reused.free();
  });

  for (const lang of ['en', 'ru']) {
    it(`decodes Google-shaped MP3 (${lang}) into an 8 kHz mono WAV of the same length`, async () => {
      const mp3 = readFileSync(path.join(FIX, meta[lang].file));
      const decoder = new Mp3Decoder();
      const pcm = await decoder.decode([new Uint8Array(mp3)]);
      decoder.free();
      expect(pcm.sampleRate).to.equal(24000);
      const wav = new AudioConverter('wav8').convert(pcm);
      const info = parseWav(wav);
      expect(wav.readUInt16LE(20)).to.equal(1); // PCM
      expect(info.sampleRate).to.equal(8000);
      expect(wav.readUInt32LE(28)).to.equal(16000); // byte rate
      expect(info.channels).to.equal(1);
      expect(info.bitsPerSample).to.equal(16);
      const ms = (info.samples.length / 8000) * 1000;
      expect(Math.abs(ms - meta[lang].durationMs)).to.be.below(120);
      const peak = info.samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
      expect(peak).to.be.above(3000); // speech, not silence
    });
  }

  it('writes raw 16 kHz signed linear for the sln16 format', async () => {
    const pcm = { samples: tone(440, 24000, 0.25), sampleRate: 24000 };
    const raw = new AudioConverter('sln16').convert(pcm);
    expect(raw.length).to.equal(2 * 4000);
    expect(raw.toString('ascii', 0, 4)).to.not.equal('RIFF');
  });

  it('joins several MP3 parts in order', async () => {
    const mp3 = new Uint8Array(readFileSync(path.join(FIX, meta.en.file)));
    const decoder = new Mp3Decoder();
    const one = await decoder.decode([mp3]);
    const two = await decoder.decode([mp3, mp3]);
    decoder.free();
    expect(two.samples.length).to.equal(2 * one.samples.length);
  });
});
