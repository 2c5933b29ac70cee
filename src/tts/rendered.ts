/**
 * A Synthesizer made into a Tts: normalise, look in the cache, else synthesize, convert to
 * what Asterisk plays and store it. The shared render runs on its own deadline, not the
 * caller's signal, so one impatient caller cannot spoil the result others wait for.
 */
import { AppError } from '../core/errors';
import type { Logger } from '../core/log';
import type { AudioWork } from './audio/thread';
import { RenderCache } from './cache';
import { abortable } from './limiter';
import { normaliseForSpeech } from './normalise';
import type { FileMediaStore } from './store';
import type { Lang, Pcm, Speech, Synthesizer, Tts, TtsHealth } from './types';

export interface RenderedTtsOptions {
  synth: Synthesizer;
  store: FileMediaStore;
  /** MP3 decoding and conversion to what Asterisk plays; an AudioConverter converts inline. */
  converter: Pick<AudioWork, 'format' | 'ext'> & { convert(pcm: Pcm): Buffer | Promise<Buffer> };
  logger: Logger;
  /** Share one between engines over the same directory, or one engine could evict the other's files unseen. */
  cache?: RenderCache;
  fqdnRegex?: RegExp;
  maxChars?: number;
  /** Deadline for one render, network included. */
  renderTimeoutMs?: number;
  /** How long a render() result stays safe from eviction unless released (default 1 hour). */
  pinTtlMs?: number;
}

/** The LRU over a media store: evicted files are deleted from disk. */
export function createRenderCache(
  store: FileMediaStore,
  logger: Logger,
  limits: { maxBytes?: number; maxEntries?: number; pinTtlMs?: number } = {},
): RenderCache {
  return new RenderCache({
    maxBytes: limits.maxBytes ?? 256 * 1024 * 1024,
    maxEntries: limits.maxEntries ?? 5000,
    pinTtlMs: limits.pinTtlMs,
    onEvict: (file) => {
      store.remove(file).then(
        () => logger.debug({ file }, 'tts cache evicted'),
        (e: Error) => logger.warn({ file, err: e.message }, 'tts cache could not delete an evicted file'),
      );
    },
  });
}

export class RenderedTts implements Tts {
  readonly cache: RenderCache;
  private ready: Promise<void> | null = null;

  constructor(private readonly opts: RenderedTtsOptions) {
    this.cache = opts.cache ?? createRenderCache(opts.store, opts.logger);
  }

  get engine(): 'google' | 'espeak' {
    return this.opts.synth.engine;
  }

  /** Creates the directory and refills the cache from files left by an earlier run. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      await this.opts.store.init();
      for (const f of await this.opts.store.list()) this.cache.add(f.file, f.bytes);
    })();
    return this.ready;
  }

  /** The cache key's parts, exposed for tests and the benchmark. */
  fileFor(text: string, lang: Lang): { file: string; spoken: string } {
    const spoken = normaliseForSpeech(text, lang, { fqdnRegex: this.opts.fqdnRegex, maxChars: this.opts.maxChars ?? 1500 });
    const { synth, converter } = this.opts;
    const key = [synth.engine, synth.voice(lang), lang, converter.format, spoken].join('\u0001');
    return { file: this.opts.store.fileFor(key, converter.ext), spoken };
  }

  /**
   * The result's file is pinned (RenderCache.pin) from before rendering until speech.release()
   * or pinTtlMs (1 hour): a notification queued with it finds the file when the call plays it.
   */
  async render(text: string, lang: Lang, signal?: AbortSignal): Promise<Speech> {
    await this.init();
    const { file, spoken } = this.fileFor(text, lang);
    if (!spoken) throw new AppError('tts-empty', 'nothing left to say after removing markup', { temporary: false });
    const lease = this.cache.pin(file, this.opts.pinTtlMs);
    const speech = (cached: boolean): Speech => ({
      media: [this.opts.store.mediaUri(file)],
      lang,
      engine: this.engine,
      cached,
      release: lease.release,
    });
    if (this.cache.has(file)) return speech(true);
    try {
      const { promise, joined } = this.cache.once(file, () => this.produce(file, spoken, lang));
      await abortable(promise, signal);
      return speech(joined);
    } catch (e) {
      lease.release();
      throw e;
    }
  }

  async health(signal?: AbortSignal): Promise<TtsHealth> {
    const h = await this.opts.synth.health(signal);
    return { ok: h.ok, engines: [{ engine: this.engine, ...h }] };
  }

  private async produce(file: string, spoken: string, lang: Lang): Promise<void> {
    // A file from an earlier run (same secret, same text) is as good as a fresh render.
    const onDisk = await this.opts.store.size(file);
    if (onDisk !== null) {
      this.cache.add(file, onDisk);
      return;
    }
    const deadline = AbortSignal.timeout(this.opts.renderTimeoutMs ?? 15_000);
    const started = Date.now();
    const pcm = await this.opts.synth.synthesize(spoken, lang, deadline);
    const data = await this.opts.converter.convert(pcm);
    await this.opts.store.put(file, data);
    this.cache.add(file, data.length);
    this.opts.logger.info(
      { engine: this.engine, lang, chars: spoken.length, bytes: data.length, ms: Date.now() - started },
      'tts rendered',
    );
  }
}
