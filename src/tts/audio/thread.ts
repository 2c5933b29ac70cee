/**
 * Audio work (MP3 decoding, resampling to what Asterisk plays) on a worker thread. On a 2-core
 * server it runs beside the main thread instead of between its callbacks: in a burst of pages
 * it was the largest CPU cost on the event loop that also claims pages and starts their calls.
 *
 * A job that fails or outlives its deadline is rejected with a temporary error (speech falls
 * back to the next engine); a thread that dies is replaced on the next job. Where no thread can
 * start at all, the work runs inline as before: slower for the calls around it, never lost.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { Pcm } from '../types';
import { AudioConverter, FORMAT_INFO, type AudioFormat } from './convert';
import { Mp3Decoder } from './mp3';
import type { AudioJob, AudioReply } from './thread-protocol';

/** Decoding and conversion as RenderedTts and the Google engine use them, wherever they run. */
export interface AudioWork {
  readonly format: AudioFormat;
  readonly ext: string;
  decodeMp3(streams: Uint8Array[]): Promise<Pcm>;
  convert(pcm: Pcm): Promise<Buffer>;
  close(): Promise<void>;
}

/** On the calling thread: tests of the audio itself, and the fallback when no thread starts. */
export class InlineAudio implements AudioWork {
  private readonly decoder = new Mp3Decoder();
  private readonly converter: AudioConverter;

  constructor(readonly format: AudioFormat = 'wav8') {
    this.converter = new AudioConverter(format);
  }

  get ext(): string {
    return FORMAT_INFO[this.format].ext;
  }

  decodeMp3(streams: Uint8Array[]): Promise<Pcm> {
    return this.decoder.decode(streams);
  }

  async convert(pcm: Pcm): Promise<Buffer> {
    return this.converter.convert(pcm);
  }

  async close(): Promise<void> {
    this.decoder.free();
  }
}

/** Far above a real job (tens of ms); only a stuck thread reaches it. */
const JOB_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(r: AudioReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** The worker entry beside this file: compiled JavaScript in production, TypeScript through tsx in development. */
function startWorker(): Worker {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `thread-main${ext}`);
  if (ext === '.js') return new Worker(entry);
  // Under mocha or tsx the loader is a require hook of this thread only: the worker registers its own.
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, { eval: true });
}

export class ThreadedAudio implements AudioWork {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly inline: InlineAudio;
  private failedToStart = false;

  constructor(
    readonly format: AudioFormat,
    private readonly logger: Logger,
    private readonly timeoutMs = JOB_TIMEOUT_MS,
  ) {
    this.inline = new InlineAudio(format);
  }

  get ext(): string {
    return FORMAT_INFO[this.format].ext;
  }

  async decodeMp3(streams: Uint8Array[]): Promise<Pcm> {
    const r = await this.run({ id: 0, kind: 'mp3', streams }, []);
    if (!r) return this.inline.decodeMp3(streams);
    if (r.kind !== 'pcm') throw new AppError('tts-audio-failed', 'the audio thread answered a decode with a file', { temporary: true });
    return { samples: r.samples, sampleRate: r.sampleRate };
  }

  async convert(pcm: Pcm): Promise<Buffer> {
    if (!this.ensureWorker()) return this.inline.convert(pcm);
    // The samples are handed over, not copied, when they own their buffer: the caller is done with them.
    const own = pcm.samples.byteOffset === 0 && pcm.samples.byteLength === pcm.samples.buffer.byteLength;
    const samples = own ? pcm.samples : pcm.samples.slice();
    const r = await this.run({ id: 0, kind: 'convert', samples, sampleRate: pcm.sampleRate, format: this.format }, [
      samples.buffer as ArrayBuffer,
    ]);
    if (!r) return this.inline.convert(pcm);
    if (r.kind !== 'file') throw new AppError('tts-audio-failed', 'the audio thread answered a conversion with audio', { temporary: true });
    return Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(new AppError('tts-audio-closed', 'the audio thread was closed', { temporary: true }));
    await w?.terminate();
    await this.inline.close();
  }

  /** The thread's successful reply; null when there is no thread (the caller works inline). */
  private async run(job: AudioJob, transfer: ArrayBuffer[]): Promise<Exclude<AudioReply, { ok: false }> | null> {
    const worker = this.ensureWorker();
    if (!worker) return null;
    const id = this.nextId++;
    const reply = await new Promise<AudioReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppError('tts-audio-timeout', `the audio thread did not finish in ${this.timeoutMs} ms`, { temporary: true }));
        // A thread that stops answering is stuck: the next job gets a fresh one.
        this.replace(worker);
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      this.holdWhileBusy(worker);
      worker.postMessage({ ...job, id }, transfer);
    });
    if (!reply.ok) throw new AppError(reply.code, `audio thread: ${reply.message}`, { temporary: true });
    return reply;
  }

  private ensureWorker(): Worker | null {
    if (this.worker || this.failedToStart) return this.worker;
    try {
      const w = startWorker();
      w.on('message', (r: AudioReply) => {
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        clearTimeout(p.timer);
        this.holdWhileBusy(w);
        p.resolve(r);
      });
      w.on('error', (e) => {
        this.logger.error({ err: e.message }, 'audio thread failed; jobs in flight fail and a new thread starts with the next job');
        this.replace(w);
      });
      w.on('exit', () => this.replace(w));
      // After the listeners (adding one refs the thread again): an idle thread must not keep a
      // finished process alive; a job in flight does (settle() refs it while any is).
      w.unref();
      this.worker = w;
    } catch (e) {
      this.failedToStart = true;
      this.logger.warn({ err: (e as Error).message }, 'no audio thread could start: speech is converted on the main thread');
    }
    return this.worker;
  }

  /** Keeps the process alive while a job is in flight, and only then. */
  private holdWhileBusy(w: Worker): void {
    if (this.pending.size > 0) w.ref();
    else w.unref();
  }

  private replace(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.failAll(new AppError('tts-audio-failed', 'the audio thread stopped before finishing', { temporary: true }));
    void w.terminate();
  }

  private failAll(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(e);
    }
  }
}
