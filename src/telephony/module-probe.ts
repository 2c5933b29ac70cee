/**
 * Is a module a feature needs loaded on this Asterisk? Asked over ARI (GET /asterisk/modules/<name>)
 * once per server and module, and again after a while (an operator may load it while dozvon runs).
 * Talk detection needs it most: a TALK_DETECT set by an originate on an Asterisk without
 * func_talkdetect is dropped with a warning in Asterisk's own log, the call goes on, and no
 * answering machine is ever detected; this says so in dozvon's log.
 */
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { ariGet } from './ari-get';

export interface ModuleProbeOptions {
  user: string;
  password: string;
  log: Logger;
  now: () => number;
  ttlMs?: number;
  timeoutMs?: number;
}

export class ModuleProbe {
  private readonly asked = new Map<string, number>();

  constructor(private readonly opts: ModuleProbeOptions) {}

  /** Checks in the background, at most once per interval; a module that is not running is logged as `missing`. */
  check(server: string, module: string, missing: string): void {
    const key = `${server} ${module}`;
    const now = this.opts.now();
    const at = this.asked.get(key);
    if (at !== undefined && now - at < (this.opts.ttlMs ?? 10 * 60_000)) return;
    this.asked.set(key, now);
    void this.ask(server, module, missing);
  }

  private async ask(server: string, module: string, missing: string): Promise<void> {
    const host = new URL(server).host;
    try {
      const r = await ariGet(server, `/asterisk/modules/${encodeURIComponent(module)}`, this.opts, this.opts.timeoutMs ?? 3000);
      if (r.status === 404)
        return void this.opts.log.warn({ server: host, module }, `${module} is not loaded on this Asterisk: ${missing}`);
      if (!r.ok) throw new Error(`modules answered ${r.status}`);
      const body = (await r.json()) as { status?: string };
      if (body.status !== 'Running')
        this.opts.log.warn({ server: host, module, status: body.status }, `${module} is not running on this Asterisk: ${missing}`);
    } catch (e) {
      // Cannot tell: ask again at the next call rather than after the full interval.
      this.asked.delete(`${server} ${module}`);
      this.opts.log.warn({ server: host, module, err: errorMessage(e) }, `could not ask Asterisk whether ${module} is loaded`);
    }
  }
}
