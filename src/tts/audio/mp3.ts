/**
 * The only file that imports mpg123-decoder (libmpg123 compiled to wasm: no native build, no
 * download at run time). One decoder per owner, used one stream at a time: decode() is
 * synchronous but reset() is not, so calls are queued to keep streams from mixing.
 */
import { MPEGDecoder } from 'mpg123-decoder';
import { AppError } from '../../core/errors';
import type { Pcm } from '../types';

export class Mp3Decoder {
  private decoder: MPEGDecoder | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** Decodes each buffer as its own MP3 stream and joins the audio, downmixed to mono. */
  decode(streams: Uint8Array[]): Promise<Pcm> {
    const run = this.queue.then(() => this.decodeNow(streams));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  free(): void {
    this.decoder?.free();
    this.decoder = null;
  }

  private async decodeNow(streams: Uint8Array[]): Promise<Pcm> {
    if (!this.decoder) {
      this.decoder = new MPEGDecoder();
      await this.decoder.ready;
    }
    const parts: Float32Array[] = [];
    let sampleRate = 0;
    for (const stream of streams) {
      await this.decoder.reset();
      const out = this.decoder.decode(stream);
      if (out.samplesDecoded === 0) throw new AppError('tts-bad-mp3', `MP3 decoding produced no audio (${stream.length} bytes)`);
      if (sampleRate && out.sampleRate !== sampleRate) throw new AppError('tts-bad-mp3', `MP3 parts disagree on sample rate (${sampleRate} vs ${out.sampleRate})`);
      sampleRate = out.sampleRate;
      parts.push(mono(out.channelData, out.samplesDecoded));
    }
    const total = parts.reduce((n, p) => n + p.length, 0);
    const samples = new Float32Array(total);
    let at = 0;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length;
    }
    return { samples, sampleRate };
  }
}

function mono(channels: Float32Array[], length: number): Float32Array {
  if (channels.length === 1) return channels[0].slice(0, length);
  const out = new Float32Array(length);
  for (const ch of channels) for (let i = 0; i < length; i++) out[i] += ch[i] / channels.length;
  return out;
}
