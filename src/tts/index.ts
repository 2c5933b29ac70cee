/**
 * Speech for dozvon: build the engine chain from config. The composition root calls
 * buildTts(config.tts, …), awaits init(), and mounts createMediaRouter(tts.store).
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { AudioFormat } from './audio/convert';
import { ThreadedAudio } from './audio/thread';
import { EspeakSynthesizer } from './espeak';
import { ChainLink, FallbackTts } from './fallback';
import { GoogleSynthesizer } from './google';
import { Catalogue, loadCatalogue, PromptTts } from './prompts';
import { createRenderCache, RenderedTts } from './rendered';
import { FileMediaStore } from './store';
import type { Tts } from './types';

export type { Lang, Speech, Tts, TtsHealth, EngineName, Pcm, Synthesizer } from './types';
export { promptMedia, countMedia, PROMPT_IDS, PromptTts, loadCatalogue } from './prompts';
export type { PromptId, Catalogue } from './prompts';
export { createMediaRouter } from './router';
export { normaliseForSpeech, shortenTitle, speakHost } from './normalise';
export { sayCount } from './words';
export { FileMediaStore, MEDIA_ROUTE } from './store';
export { RenderedTts, createRenderCache } from './rendered';
export { RenderCache, DEFAULT_PIN_TTL_MS } from './cache';
export type { Lease } from './cache';
export { FallbackTts } from './fallback';
export { GoogleSynthesizer } from './google';
export { EspeakSynthesizer } from './espeak';

export interface TtsDeps {
  publicUrl: string;
  logger: Logger;
  clock: Clock;
  fqdnRegex?: RegExp;
  /** dir delivery: where DOZVON_TTS_DIR appears under Asterisk's sounds directory. */
  soundPrefix?: string;
  format?: AudioFormat;
  espeakBinary?: string;
  google?: { timeoutMs?: number; concurrency?: number; retries429?: number; backoffMs?: number };
  /** pinTtlMs: how long a rendered file stays safe from eviction for a queued call (default 1 hour). */
  cache?: { maxBytes?: number; maxEntries?: number; pinTtlMs?: number };
  catalogue?: Catalogue;
}

export interface TtsSystem extends Tts {
  readonly store: FileMediaStore;
  readonly chain: FallbackTts;
  /**
   * For rendered media dozvon produced: the same words as recorded prompts and Asterisk's number
   * sounds, which need no rendering and no HTTP fetch. Undefined for anything else (prompts).
   */
  fallbackFor(uri: string): string[] | undefined;
  /** Creates DOZVON_TTS_DIR and refills the cache from it; render() also does this on first use. */
  init(): Promise<void>;
  /** Ends the audio thread; renders still in flight fail as temporary. */
  close(): Promise<void>;
}

/** Enough for every text of every call in flight, many times over; entries are a few URIs. */
const FALLBACK_ENTRIES = 10_000;

/** A small LRU: uri → prompt media (Map keeps insertion order; re-set moves to the end). */
class FallbackMap {
  private readonly map = new Map<string, string[]>();
  constructor(private readonly max: number) {}
  get(uri: string): string[] | undefined {
    return this.map.get(uri);
  }
  set(uri: string, media: string[]): void {
    this.map.delete(uri);
    this.map.set(uri, media);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/** DOZVON_TTS_*: which engine speaks, and how Asterisk fetches what it rendered. */
export interface TtsConfig {
  engine: 'google' | 'espeak' | 'none';
  googleHost: string | null;
  delivery: 'http' | 'dir';
  dir: string;
}

export function buildTts(cfg: TtsConfig, deps: TtsDeps): TtsSystem {
  const logger = deps.logger.child({ module: 'tts' });
  const store = new FileMediaStore({ dir: cfg.dir, delivery: cfg.delivery, publicUrl: deps.publicUrl, soundPrefix: deps.soundPrefix });
  // Decoding and resampling on their own thread: the main one claims pages and dials.
  const converter = new ThreadedAudio(deps.format ?? 'wav8', logger);
  // One LRU for every engine: they share the directory, so they must share the accounting.
  const cache = createRenderCache(store, logger, deps.cache);
  const rendered = (synth: GoogleSynthesizer | EspeakSynthesizer) =>
    new RenderedTts({ synth, store, converter, logger, cache, fqdnRegex: deps.fqdnRegex });
  const links: ChainLink[] = [];
  if (cfg.engine === 'google')
    links.push({
      name: 'google',
      tts: rendered(new GoogleSynthesizer({ host: cfg.googleHost, clock: deps.clock, logger, audio: converter, ...deps.google })),
    });
  if (cfg.engine !== 'none') links.push({ name: 'espeak', tts: rendered(new EspeakSynthesizer({ binary: deps.espeakBinary })) });
  const prompts = new PromptTts(deps.catalogue ?? loadCatalogue(), deps.fqdnRegex);
  links.push({ name: 'none', tts: prompts });
  const chain = new FallbackTts(links, { clock: deps.clock, logger });
  const fallbacks = new FallbackMap(FALLBACK_ENTRIES);
  return {
    store,
    chain,
    fallbackFor: (uri) => fallbacks.get(uri),
    // Every rendered result remembers its prompt-only twin: a call whose speech cannot be played
    // (a media fetch failing, say) switches to it at once instead of going silent.
    render: async (text, lang, signal) => {
      const speech = await chain.render(text, lang, signal);
      if (speech.engine !== 'none') {
        const twin = (await prompts.render(text, lang)).media;
        for (const uri of speech.media) fallbacks.set(uri, twin);
      }
      return speech;
    },
    health: (signal) => chain.health(signal),
    init: async () => {
      for (const l of links) if (l.tts instanceof RenderedTts) await l.tts.init();
    },
    close: () => converter.close(),
  };
}
