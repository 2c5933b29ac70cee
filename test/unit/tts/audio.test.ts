import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AudioConverter } from '../../../src/tts/audio/convert';
import { Mp3Decoder } from '../../../src/tts/audio/mp3';
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
