/**
 * Minimal RIFF/WAVE for 16-bit PCM. We write the plain 44-byte header only: Asterisk's
 * format_wav accepts `fmt ` and then only `fact` chunks before `data`, so a LIST chunk
 * (as some encoders add) would make the file unplayable.
 */
import { AppError } from '../../core/errors';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Interleaved samples as read from the file. */
  samples: Int16Array;
}

export const WAV_HEADER_BYTES = 44;

export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const buf = Buffer.alloc(WAV_HEADER_BYTES + samples.length * 2);
  writeWavHeader(buf, samples.length, sampleRate);
  Buffer.from(samples.buffer, samples.byteOffset, samples.length * 2).copy(buf, WAV_HEADER_BYTES);
  return buf;
}

/** The 44-byte header for `frames` mono 16-bit samples, at the start of buf. */
export function writeWavHeader(buf: Buffer, frames: number, sampleRate: number): void {
  const dataBytes = frames * 2;
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
}

/** Reads a PCM WAV, tolerating extra chunks and the 0xFFFFFFFF sizes espeak-ng writes to a pipe. */
export function parseWav(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new AppError('tts-bad-wav', 'not a RIFF/WAVE file');
  }
  let pos = 12;
  let fmt: { channels: number; sampleRate: number; bits: number } | null = null;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (buf.readUInt16LE(body) !== 1) throw new AppError('tts-bad-wav', 'WAV is not plain PCM');
      fmt = { channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new AppError('tts-bad-wav', 'WAV data before fmt');
      if (fmt.bits !== 16) throw new AppError('tts-bad-wav', `WAV has ${fmt.bits} bits per sample, expected 16`);
      const end = Math.min(buf.length, size === 0xffffffff ? buf.length : body + size);
      const bytes = (end - body) & ~1;
      const copy = Buffer.from(buf.subarray(body, body + bytes));
      return {
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        bitsPerSample: 16,
        samples: new Int16Array(copy.buffer, copy.byteOffset, bytes / 2),
      };
    }
    pos = body + size + (size & 1);
  }
  throw new AppError('tts-bad-wav', 'WAV has no data chunk');
}

export function int16ToFloat(samples: Int16Array, channels = 1): Float32Array {
  const frames = Math.floor(samples.length / channels);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c];
    out[i] = sum / channels / 32768;
  }
  return out;
}

export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32767);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
