/**
 * /healthz: the process answers. /readyz: dozvon can do its job: every required probe passes
 * (the database answers and migrations ran), and at least one channel can page someone (voice
 * through a connected Asterisk, or an SMS or push sender). Each probe's state shows under
 * `checks`, so a telephony outage is visible even while SMS keeps the instance ready.
 * A 503 from /readyz is an answer, not a failed request: the log says so once when readiness
 * changes (with the reason) instead of an error line for every probe.
 */
import { Router, RouterT } from './express';
import type { Logger } from '../core/log';
import { ANSWERED_REFUSAL } from './request-log';

export interface ReadinessProbe {
  name: string;
  /** Resolves when healthy (with a text such as "degraded: …" when it works with less); throws with the reason when not. */
  check(): Promise<void | string>;
  /**
   * `required` (default): not ready while it fails. `channel`: one way of paging people; ready
   * needs at least one channel that works (when any channel probe is given).
   */
  role?: 'required' | 'channel';
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
  /** Why not ready, in one line. */
  reason?: string;
}

export function healthRouter(probes: ReadinessProbe[], logger?: Logger): RouterT {
  const r = Router();
  let wasReady: boolean | undefined;
  r.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const out = await readiness(probes);
    if (out.ready !== wasReady) {
      if (!out.ready) logger?.warn({ reason: out.reason }, 'not ready');
      else if (wasReady === false) logger?.info('ready');
      wasReady = out.ready;
    }
    if (!out.ready) res.locals[ANSWERED_REFUSAL] = true;
    res
      .status(out.ready ? 200 : 503)
      .json({ status: out.ready ? 'ok' : 'not ready', checks: out.checks, ...(out.reason ? { reason: out.reason } : {}) });
  });
  return r;
}

export async function readiness(probes: readonly ReadinessProbe[], timeoutMs = 2000): Promise<Readiness> {
  const results = await Promise.all(
    probes.map(async (p) => {
      try {
        const text = await withTimeout(p.check(), timeoutMs);
        return { p, ok: true, text: typeof text === 'string' ? text : 'ok' };
      } catch (e) {
        return { p, ok: false, text: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
  const checks = Object.fromEntries(results.map((x) => [x.p.name, x.text]));
  const failedRequired = results.filter((x) => (x.p.role ?? 'required') === 'required' && !x.ok);
  const channels = results.filter((x) => x.p.role === 'channel');
  const reasons = failedRequired.map((x) => `${x.p.name}: ${x.text}`);
  if (channels.length && !channels.some((x) => x.ok))
    reasons.push(`no channel can page anyone (${channels.map((x) => `${x.p.name}: ${x.text}`).join('; ')})`);
  return reasons.length ? { ready: false, checks, reason: reasons.join('; ') } : { ready: true, checks };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
