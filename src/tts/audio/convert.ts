/**
 * PCM from any engine → the file Asterisk plays. Default: 8 kHz 16-bit mono WAV, the one
 * format every Asterisk reads from a `.wav` name (format_wav insists on 8000 Hz for `.wav`;
 * 16 kHz needs the `.sln16` extension). See docs/speech.md for the measurements.
 */
import type { Pcm } from '../types';
import { Resampler } from './resample';
import { encodeWav, floatToInt16 } from './wav';

export type AudioFormat = 'wav8' | 'sln16';

export const FORMAT_INFO: Record<AudioFormat, { rate: number; ext: string; contentType: string }> = {
  wav8: { rate: 8000, ext: 'wav', contentType: 'audio/wav' },
  sln16: { rate: 16000, ext: 'sln16', contentType: 'audio/x-slin16' },
};

export class AudioConverter {
  private resampler = new Resampler();

  constructor(readonly format: AudioFormat = 'wav8') {}

  get ext(): string {
    return FORMAT_INFO[this.format].ext;
  }

  convert(pcm: Pcm): Buffer {
    const rate = FORMAT_INFO[this.format].rate;
    const samples = floatToInt16(this.resampler.resample(pcm.samples, pcm.sampleRate, rate));
    if (this.format === 'wav8') return encodeWav(samples, rate);
    return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  }
}
