/**
 * Does this Asterisk have dozvon's prompts installed (sounds/<lang>/dozvon/…)? Asked over ARI's
 * sounds resource, once per server and language, and again after a while (an operator may
 * install them while dozvon runs). When the answer is no, prompts are played over HTTP.
 */
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { ariGet } from './ari-get';

export interface SoundsProbeOptions {
  user: string;
  password: string;
  /** The prompt asked for; every prompt is installed together, so one stands for all. */
  sound?: string;
  ttlMs?: number;
  timeoutMs?: number;
  log: Logger;
  now?: () => number;
}

export class SoundsProbe {
  private readonly known = new Map<string, { installed: Promise<boolean>; at: number }>();

  constructor(private readonly opts: SoundsProbeOptions) {}

  promptsInstalled(server: string, lang: string): Promise<boolean> {
    const now = (this.opts.now ?? Date.now)();
    const key = `${server} ${lang}`;
    const hit = this.known.get(key);
    if (hit && now - hit.at < (this.opts.ttlMs ?? 10 * 60_000)) return hit.installed;
    const installed = this.ask(server, lang);
    this.known.set(key, { installed, at: now });
    return installed;
  }

  private async ask(server: string, lang: string): Promise<boolean> {
    // ARI names a sound by its path under sounds/<lang>/, slash included: the slash must be
    // escaped or Asterisk's router reads it as another path segment.
    const id = encodeURIComponent(this.opts.sound ?? 'dozvon/greeting');
    try {
      const r = await ariGet(server, `/sounds/${id}`, this.opts, this.opts.timeoutMs ?? 3000);
      if (r.status === 404) return this.decide(server, lang, false, 'not installed');
      if (!r.ok) throw new Error(`sounds answered ${r.status}`);
      const body = (await r.json()) as { formats?: { language?: string }[] };
      const has = (body.formats ?? []).some((f) => f.language === lang);
      return this.decide(server, lang, has, has ? 'installed' : `installed, but not for ${lang}`);
    } catch (e) {
      // Cannot tell: play them as Asterisk's own files, as a configured install expects, and ask
      // again in a minute rather than after the full interval.
      const entry = this.known.get(`${server} ${lang}`);
      if (entry) entry.at -= Math.max(0, (this.opts.ttlMs ?? 10 * 60_000) - 60_000);
      this.opts.log.warn(
        { server: new URL(server).host, lang, err: errorMessage(e) },
        'could not ask Asterisk whether the prompts are installed',
      );
      return true;
    }
  }

  private decide(server: string, lang: string, installed: boolean, why: string): boolean {
    this.opts.log.info(
      { server: new URL(server).host, lang, prompts: installed ? 'asterisk' : 'http' },
      `dozvon prompts ${why} on this Asterisk`,
    );
    return installed;
  }
}
