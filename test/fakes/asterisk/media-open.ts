/**
 * Opening one media URI of a playback, as Asterisk does when that item starts: `sound:` from the
 * sounds directory or over HTTP, `number:`/`digits:`/`characters:` from the digits and letters
 * sounds, `recording:` from the stored recordings, `tone:` always. What cannot be opened fails
 * the whole playback (media.ts). Every open and every HTTP fetch is kept as evidence for tests.
 */
import { fetchMedia, MediaFetch } from './media-fetch';
import { SoundLibrary } from './sounds';

export type Opened = { ok: true; durationMs: number } | { ok: false; reason: string; fetched: boolean };

export interface MediaOpen {
  at: number;
  uri: string;
  lang: string;
  ok: boolean;
  /** Audio length in Asterisk ms (before any `mediaDurationMs` override). */
  durationMs: number | null;
  reason?: string;
}

export interface MediaOpenOptions {
  /** Extra folders laid out like Asterisk's sounds directory (`<root>/<lang>/<name>.wav`). */
  soundRoots?: string[];
  /** Real ms a `sound:http…` fetch may take (http_media_cache.conf's timeout_secs = 5). */
  mediaFetchTimeoutMs?: number;
  /** False forces a media URI to be missing, whatever exists. */
  mediaExists?: (uri: string) => boolean;
}

/** How long a `tone:` plays: real tones loop until stopped; the fake keeps its old fixed length. */
export const TONE_MS = 1400;

export class MediaOpener {
  readonly fetches: MediaFetch[] = [];
  readonly opened: MediaOpen[] = [];
  readonly sounds: SoundLibrary;
  private cancel = new AbortController();

  constructor(private readonly opts: MediaOpenOptions = {}) {
    this.sounds = new SoundLibrary(opts.soundRoots);
  }

  /** Never rejects: a failure to open is an answer, not an error. */
  async open(uri: string, lang: string, storedMs: (name: string) => number | undefined): Promise<Opened> {
    let result: Opened;
    try {
      result = await this.resolve(uri, lang, storedMs);
    } catch (err) {
      result = { ok: false, reason: `fake Asterisk: ${(err as Error).message}`, fetched: false };
    }
    this.opened.push({
      at: Date.now(),
      uri,
      lang,
      ok: result.ok,
      durationMs: result.ok ? result.durationMs : null,
      ...(result.ok ? {} : { reason: result.reason }),
    });
    return result;
  }

  /** Asterisk restarted or the fake closes: fetches in flight are dropped. */
  abortAll(): void {
    this.cancel.abort();
    this.cancel = new AbortController();
  }

  private async resolve(uri: string, lang: string, storedMs: (name: string) => number | undefined): Promise<Opened> {
    if (this.opts.mediaExists && !this.opts.mediaExists(uri)) return { ok: false, reason: 'missing (mediaExists option)', fetched: false };
    const colon = uri.indexOf(':');
    const scheme = colon > 0 ? uri.slice(0, colon) : '';
    const rest = uri.slice(colon + 1);
    switch (scheme) {
      case 'sound': {
        if (/^https?:\/\//i.test(rest)) {
          const f = await fetchMedia(rest, this.opts.mediaFetchTimeoutMs ?? 5000, this.cancel.signal);
          this.fetches.push(f);
          return f.outcome === 'ok'
            ? { ok: true, durationMs: f.durationMs ?? 0 }
            : { ok: false, reason: `${f.outcome}: ${f.reason ?? ''}`, fetched: true };
        }
        return fail(await this.sounds.sound(rest, lang));
      }
      case 'number':
      case 'digits':
      case 'characters':
        return fail(await this.sounds.say(scheme, rest, lang));
      case 'recording': {
        const ms = storedMs(rest);
        return ms === undefined ? { ok: false, reason: `no stored recording ${rest}`, fetched: false } : { ok: true, durationMs: ms };
      }
      case 'tone':
        return { ok: true, durationMs: TONE_MS };
      default:
        return { ok: false, reason: `unknown media scheme in ${uri}`, fetched: false };
    }
  }
}

function fail(c: { ok: true; durationMs: number } | { ok: false; reason: string }): Opened {
  return c.ok ? c : { ...c, fetched: false };
}
