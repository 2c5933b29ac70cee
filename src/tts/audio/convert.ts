/**
 * PCM from any engine → the file Asterisk plays. Default: 8 kHz 16-bit mono WAV, the one
 * format every Asterisk reads from a `.wav` name (format_wav insists on 8000 Hz for `.wav`;
 * 16 kHz needs the `.sln16` extension). See docs/speech.md for the measurements.
 *
 * The resampler writes 16-bit samples straight into the output buffer, behind the header:
 * no float copy of the result, no separate int16 array to copy into the file.
 */
import { endianness } from 'node:os';
import type { Pcm } from '../types';
import { Resampler } from './resample';
import { WAV_HEADER_BYTES, writeWavHeader } from './wav';

export type AudioFormat = 'wav8' | 'sln16';

export const FORMAT_INFO: Record<AudioFormat, { rate: number; ext: string; contentType: string }> = {
  wav8: { rate: 8000, ext: 'wav', contentType: 'audio/wav' },
  sln16: { rate: 16000, ext: 'sln16', contentType: 'audio/x-slin16' },
};

/** Int16Array is host-endian; WAV and slin are little-endian. */
const BIG_ENDIAN = endianness() === 'BE';

export class AudioConverter {
  private resampler = new Resampler();

  constructor(readonly format: AudioFormat = 'wav8') {}

  get ext(): string {
    return FORMAT_INFO[this.format].ext;
  }

  convert(pcm: Pcm): Buffer {
    const rate = FORMAT_INFO[this.format].rate;
    const n = Resampler.outputLength(pcm.samples.length, pcm.sampleRate, rate);
    const header = this.format === 'wav8' ? WAV_HEADER_BYTES : 0;
    // Our own ArrayBuffer: offset 0, so the samples after the 44-byte header are 2-byte aligned.
    const bytes = new ArrayBuffer(header + 2 * n);
    this.resampler.resampleInto(pcm.samples, pcm.sampleRate, rate, new Int16Array(bytes, header, n));
    const buf = Buffer.from(bytes);
    if (BIG_ENDIAN) buf.subarray(header).swap16();
    if (header) writeWavHeader(buf, n, rate);
    return buf;
  }
}
