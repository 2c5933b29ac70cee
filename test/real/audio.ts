/**
 * What the phone heard, measured: the recording against the audio dozvon sent for that call.
 * Asterisk sends RTP only while something plays, so the recording's length is the length of
 * what was played, and a summary that never reached the phone makes it short (or silent).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseWav } from '../../src/tts/audio/wav';
import { PROJECT } from './asterisk/config';

export interface Heard {
  seconds: number;
  /** Root mean square over the whole recording, in 16-bit sample units. */
  rms: number;
  peak: number;
  /** Seconds of 20 ms frames louder than -50 dBFS. */
  voicedSeconds: number;
}

export function measure(wav: Buffer): Heard {
  const w = parseWav(wav);
  const s = w.samples;
  let sum = 0;
  let peak = 0;
  let voiced = 0;
  const frame = Math.round(w.sampleRate / 50);
  for (let i = 0; i < s.length; i += frame) {
    let fs = 0;
    const end = Math.min(s.length, i + frame);
    for (let k = i; k < end; k++) {
      const v = s[k];
      fs += v * v;
      if (Math.abs(v) > peak) peak = Math.abs(v);
    }
    sum += fs;
    if (Math.sqrt(fs / Math.max(1, end - i)) > 32768 * 0.00316) voiced += end - i;
  }
  return { seconds: s.length / w.sampleRate, rms: Math.sqrt(sum / Math.max(1, s.length)), peak, voicedSeconds: voiced / w.sampleRate };
}

export function wavSeconds(file: string): number {
  const w = parseWav(readFileSync(file));
  return w.samples.length / w.channels / w.sampleRate;
}

/**
 * The length of a media URI as dozvon played it: a prompt from sounds/<lang>/dozvon, speech
 * from dozvon's TTS folder (the URL's file name), an Asterisk core sound from the voice folder.
 */
export function mediaSeconds(uri: string, lang: string, ttsDir: string, coreSounds: string): number {
  const m = /^sound:(.*)$/.exec(uri);
  if (!m) throw new Error(`cannot measure ${uri}: only sound: media have a file`);
  const ref = m[1];
  if (/^https?:\/\//.test(ref)) {
    const name = new URL(ref).pathname.split('/').pop() as string;
    const prompt = /\/media\/prompts\/(en|ru)\/([a-z_]+)\.wav$/.exec(new URL(ref).pathname);
    if (prompt) return wavSeconds(path.join(PROJECT, 'sounds', prompt[1], 'dozvon', `${prompt[2]}.wav`));
    return wavSeconds(path.join(ttsDir, name));
  }
  const own = path.join(PROJECT, 'sounds', lang, `${ref}.wav`);
  if (existsSync(own)) return wavSeconds(own);
  return wavSeconds(path.join(coreSounds, `${ref}.wav`));
}
