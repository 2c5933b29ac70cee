/**
 * The speech seam: the rest of dozvon asks for "this text, in this language" and gets back
 * media references Asterisk can play. Which engine spoke, and whether it came from the cache,
 * is reported for logs and metrics; callers never branch on it.
 */
export type Lang = 'en' | 'ru';
export const LANGS: readonly Lang[] = ['en', 'ru'];

export type EngineName = 'google' | 'espeak' | 'none';

export interface Speech {
  /** ARI media URIs (`sound:…`, `number:N`, `digits:N`), to be played in order. */
  media: string[];
  /** Pass this as the `lang` of the ARI play request: prompts and number sounds are per language. */
  lang: Lang;
  engine: EngineName;
  cached: boolean;
  /**
   * Rendered files stay on disk (safe from cache eviction) until this is called or an hour
   * passes, so a queued call still finds them; absent for media that cannot go away (prompts).
   */
  release?: () => void;
}

export interface TtsHealth {
  ok: boolean;
  engines: { engine: EngineName; ok: boolean; detail?: string }[];
}

export interface Tts {
  render(text: string, lang: Lang, signal?: AbortSignal): Promise<Speech>;
  /** Cheap self-check for the watchers (no network for the prompt engine). */
  health(signal?: AbortSignal): Promise<TtsHealth>;
}

/** Mono PCM in floats (-1..1), whatever rate the engine produced. */
export interface Pcm {
  samples: Float32Array;
  sampleRate: number;
}

/** An engine that turns already-normalised text into PCM; wrapped by RenderedTts for caching and delivery. */
export interface Synthesizer {
  readonly engine: 'google' | 'espeak';
  /** Part of the cache key: a different voice must never be served from another voice's cache. */
  voice(lang: Lang): string;
  synthesize(text: string, lang: Lang, signal?: AbortSignal): Promise<Pcm>;
  health(signal?: AbortSignal): Promise<{ ok: boolean; detail?: string }>;
}
