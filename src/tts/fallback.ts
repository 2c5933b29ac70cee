/**
 * The chain that keeps a call from being lost to speech: google → espeak → prompts. An engine
 * that just failed is skipped for a cool-down, so one outage does not add a timeout to every
 * render; the prompt engine at the end cannot fail.
 */
import type { Clock } from '../core/clock';
import { AppError, errorMessage, isTemporary } from '../core/errors';
import type { Logger } from '../core/log';
import type { Lang, Speech, Tts, TtsHealth } from './types';

export interface ChainLink {
  name: string;
  tts: Tts;
}

export interface FallbackOptions {
  clock: Clock;
  logger: Logger;
  /** Skip an engine this long after a temporary failure (network, 5xx, 429). */
  cooldownMs?: number;
  /** …and this long after a permanent one (binary missing, language refused). */
  permanentCooldownMs?: number;
}

export class FallbackTts implements Tts {
  private downUntil = new Map<string, number>();

  constructor(
    readonly links: readonly ChainLink[],
    private readonly opts: FallbackOptions,
  ) {
    if (links.length === 0) throw new AppError('tts-config', 'the speech chain needs at least one engine');
  }

  async render(text: string, lang: Lang, signal?: AbortSignal): Promise<Speech> {
    const now = this.opts.clock.now();
    // The last link is always tried, even when cooling down: better a late answer than none.
    const usable = this.links.filter((l, i) => i === this.links.length - 1 || (this.downUntil.get(l.name) ?? 0) <= now);
    let lastError: unknown;
    for (const link of usable) {
      if (signal?.aborted) throw new AppError('tts-aborted', 'speech rendering aborted', { temporary: true, cause: signal.reason });
      try {
        const speech = await link.tts.render(text, lang, signal);
        this.downUntil.delete(link.name);
        return speech;
      } catch (e) {
        if (signal?.aborted) throw new AppError('tts-aborted', 'speech rendering aborted', { temporary: true, cause: e });
        lastError = e;
        const cooldown = isTemporary(e) ? (this.opts.cooldownMs ?? 30_000) : (this.opts.permanentCooldownMs ?? 300_000);
        this.downUntil.set(link.name, this.opts.clock.now() + cooldown);
        this.opts.logger.warn(
          { engine: link.name, code: (e as AppError).code, err: errorMessage(e), cooldownMs: cooldown },
          'tts engine failed, falling back',
        );
      }
    }
    throw new AppError('tts-failed', `every speech engine failed: ${errorMessage(lastError)}`, { temporary: true, cause: lastError });
  }

  async health(signal?: AbortSignal): Promise<TtsHealth> {
    const engines: TtsHealth['engines'] = [];
    for (const link of this.links) engines.push(...(await link.tts.health(signal)).engines);
    // Healthy means the configured (first) engine works; the rest are the safety net.
    return { ok: engines[0]?.ok ?? false, engines };
  }
}
