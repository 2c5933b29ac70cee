/**
 * The only file that imports mpg123-decoder (libmpg123 compiled to wasm: no native build, no
 * download at run time). One decoder per owner, used one stream at a time: decode() is
 * synchronous but reset() is not, so calls are queued to keep streams from mixing.
 *
 * Costs (docs/speech.md): the wasm always hands back two channels, mono streams duplicated;
 * for a mono MP3 (Google's) we take the left channel as it is instead of averaging two
 * copies. Every stream needs fresh libmpg123 state, but the library's reset() throws the wasm
 * instance away and builds a new one (16 MiB of memory, 0.5 ms median and GC pauses up to
 * 8 ms measured): we restart the libmpg123 handle inside the same instance instead
 * (restartInPlace, 0.01 ms), falling back to reset() if the library's insides ever differ.
 */
import { MPEGDecoder } from 'mpg123-decoder';
import { AppError } from '../../core/errors';
import type { Pcm } from '../types';

export class Mp3Decoder {
  private decoder: MPEGDecoder | null = null;
  /** The decoder has seen a stream since it was created or reset. */
  private used = false;
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

  private async fresh(): Promise<MPEGDecoder> {
    if (!this.decoder) {
      this.decoder = new MPEGDecoder();
      await this.decoder.ready;
    } else if (this.used && !restartInPlace(this.decoder)) {
      await this.decoder.reset();
    }
    this.used = true;
    return this.decoder;
  }

  private async decodeNow(streams: Uint8Array[]): Promise<Pcm> {
    const parts: Float32Array[] = [];
    let sampleRate = 0;
    let total = 0;
    for (const stream of streams) {
      const decoder = await this.fresh();
      const out = decoder.decode(stream);
      if (out.samplesDecoded === 0) throw new AppError('tts-bad-mp3', `MP3 decoding produced no audio (${stream.length} bytes)`);
      if (sampleRate && out.sampleRate !== sampleRate)
        throw new AppError('tts-bad-mp3', `MP3 parts disagree on sample rate (${sampleRate} vs ${out.sampleRate})`);
      sampleRate = out.sampleRate;
      const part = isMono(stream) ? left(out.channelData, out.samplesDecoded) : downmix(out.channelData, out.samplesDecoded);
      parts.push(part);
      total += part.length;
    }
    if (parts.length === 1) return { samples: parts[0], sampleRate };
    const samples = new Float32Array(total);
    let at = 0;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length;
    }
    return { samples, sampleRate };
  }
}

/** The decoder's own array when it is exactly the decoded length (it is: a fresh concatenation), else a view. */
function left(channels: Float32Array[], length: number): Float32Array {
  const l = channels[0];
  return l.length === length ? l : l.subarray(0, length);
}

function downmix(channels: Float32Array[], length: number): Float32Array {
  if (channels.length === 1) return left(channels, length);
  if (channels.length === 2) {
    const [l, r] = channels;
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = (l[i] + r[i]) * 0.5;
    return out;
  }
  const out = new Float32Array(length);
  for (const ch of channels) for (let i = 0; i < length; i++) out[i] += ch[i];
  const k = 1 / channels.length;
  for (let i = 0; i < length; i++) out[i] *= k;
  return out;
}

/**
 * Whether the first MPEG audio frame of the stream says "single channel" (mode bits 11).
 * Skips an ID3v2 tag; anything unreadable counts as stereo, which downmixes and is always right.
 */
export function isMono(data: Uint8Array): boolean {
  let pos = 0;
  if (data.length >= 10 && data[0] === 0x49 && data[1] === 0x44 && data[2] === 0x33) {
    // ID3v2: 10-byte header, syncsafe size, optional 10-byte footer.
    const size = ((data[6] & 0x7f) << 21) | ((data[7] & 0x7f) << 14) | ((data[8] & 0x7f) << 7) | (data[9] & 0x7f);
    pos = 10 + size + (data[5] & 0x10 ? 10 : 0);
  }
  const end = Math.min(data.length - 3, pos + 4096);
  for (; pos < end; pos++) {
    if (data[pos] !== 0xff || (data[pos + 1] & 0xe0) !== 0xe0) continue;
    const b1 = data[pos + 1];
    const b2 = data[pos + 2];
    // A plausible header: version not reserved, layer not reserved, bitrate not "bad", rate not reserved.
    if ((b1 & 0x18) === 0x08 || (b1 & 0x06) === 0 || (b2 & 0xf0) === 0xf0 || (b2 & 0x0c) === 0x0c) continue;
    return (data[pos + 3] & 0xc0) === 0xc0;
  }
  return false;
}

/** The parts of MPEGDecoder 1.x that restartInPlace uses (not its public API; checked at run time). */
interface DecoderInsides {
  _decoder?: unknown;
  _common?: {
    wasm?: {
      mpeg_frame_decoder_create?: unknown;
      mpeg_frame_decoder_destroy?: unknown;
      free?: unknown;
      malloc?: unknown;
      HEAP?: unknown;
    };
  };
  _inputBytes?: number;
  _outputSamples?: number;
  _frameNumber?: number;
}

interface Wasm {
  mpeg_frame_decoder_create(ptr: number, gapless: number): number;
  mpeg_frame_decoder_destroy(decoder: number): void;
  free(ptr: number): void;
  malloc(bytes: number): number;
  HEAP: ArrayBuffer;
}

/**
 * Same effect as `await decoder.reset()` (a new libmpg123 handle with gapless decoding on, as
 * the library's default, and zeroed counters) without a new wasm instance. Returns false, having
 * changed nothing, when the insides are not what this was written against (mpg123-decoder 1.0.x).
 */
export function restartInPlace(decoder: MPEGDecoder): boolean {
  const d = decoder as unknown as DecoderInsides;
  const w = d._common?.wasm;
  if (
    typeof d._decoder !== 'number' ||
    !w ||
    typeof w.mpeg_frame_decoder_create !== 'function' ||
    typeof w.mpeg_frame_decoder_destroy !== 'function' ||
    typeof w.free !== 'function' ||
    typeof w.malloc !== 'function' ||
    !(w.HEAP instanceof ArrayBuffer)
  ) {
    return false;
  }
  const wasm = w as unknown as Wasm;
  const slot = wasm.malloc(4);
  if (!slot) return false;
  try {
    // destroy() releases the handle's memory itself (the library's free() frees it a second
    // time, harmless only because it then discards the whole instance): no free() here.
    // Checked: 20 000 restarts reuse the same address, and the audio matches a new decoder's.
    wasm.mpeg_frame_decoder_destroy(d._decoder);
    const error = wasm.mpeg_frame_decoder_create(slot, 1);
    if (error) throw new AppError('tts-bad-mp3', `cannot restart the MP3 decoder (libmpg123 error ${error})`);
    d._decoder = new Uint32Array(wasm.HEAP, slot, 1)[0];
  } finally {
    wasm.free(slot);
  }
  d._inputBytes = 0;
  d._outputSamples = 0;
  d._frameNumber = 0;
  return true;
}
