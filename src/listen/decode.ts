/**
 * One media file as mono 16-bit samples at its own rate: WAV through the TTS store's reader
 * (src/tts/audio/wav.ts), raw signed-linear by the rate its extension names, as Asterisk does.
 */
import { promises as fs } from 'node:fs';
import { parseWav, int16ToFloat, floatToInt16 } from '../tts/audio/wav';
import type { AudioFormat } from './sources';

export interface MonoPcm {
  samples: Int16Array;
  rate: number;
}

/** Bigger than any prompt or rendered summary by far: refuse instead of filling memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const RAW_RATES: Record<Exclude<AudioFormat, 'wav'>, number> = { sln: 8000, sln16: 16000 };

export async function readPcm(file: string, format: AudioFormat): Promise<MonoPcm> {
  const st = await fs.stat(file);
  if (st.size > MAX_FILE_BYTES) throw new Error(`${st.size} bytes is more than a played item can be`);
  const data = await fs.readFile(file);
  return decodePcm(data, format);
}

export function decodePcm(data: Buffer, format: AudioFormat): MonoPcm {
  if (format !== 'wav') {
    const bytes = data.length & ~1;
    const copy = Buffer.from(data.subarray(0, bytes));
    return { samples: new Int16Array(copy.buffer, copy.byteOffset, bytes / 2), rate: RAW_RATES[format] };
  }
  const wav = parseWav(data);
  if (wav.sampleRate < 1000 || wav.sampleRate > 192000) throw new Error(`WAV at ${wav.sampleRate} Hz`);
  if (wav.channels === 1) return { samples: wav.samples, rate: wav.sampleRate };
  if (wav.channels < 1) throw new Error('WAV without channels');
  return { samples: floatToInt16(int16ToFloat(wav.samples, wav.channels)), rate: wav.sampleRate };
}
