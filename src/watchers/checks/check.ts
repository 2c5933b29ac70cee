/**
 * Self-checks: small probes of the parts dozvon depends on (ARI, senders, OnCall, TTS).
 * Each has a name and run(signal); a check that throws or times out counts as failed.
 */
import type { Clock } from '../../core/clock';
import { errorMessage } from '../../core/errors';

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export interface Check {
  name: string;
  run(signal: AbortSignal): Promise<CheckResult>;
}

export interface CheckOutcome extends CheckResult {
  name: string;
  /** When the run finished (epoch ms). */
  at: number;
  durationMs: number;
}

/** Wraps a plain function (ARI health, a sender's health, OnCall reachability, a TTS render) as a Check. */
export function checkFrom(name: string, fn: (signal: AbortSignal) => Promise<CheckResult>): Check {
  return { name, run: fn };
}

/** A check over a boolean probe: `ok` / `failing` plus the given detail texts. */
export function boolCheck(name: string, probe: (signal: AbortSignal) => Promise<boolean>, texts: { ok?: string; failed?: string } = {}): Check {
  return checkFrom(name, async (signal) => ((await probe(signal)) ? { ok: true, detail: texts.ok ?? 'ok' } : { ok: false, detail: texts.failed ?? 'failing' }));
}

export interface RunOptions {
  clock: Clock;
  /** Per check; a slow probe is a failed probe. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs every check in parallel with its own timeout; never rejects. What `dozvon check` prints. */
export async function runChecksOnce(checks: readonly Check[], opts: RunOptions): Promise<CheckOutcome[]> {
  return Promise.all(checks.map((c) => runOne(c, opts)));
}

async function runOne(check: Check, opts: RunOptions): Promise<CheckOutcome> {
  const started = opts.clock.now();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const ac = new AbortController();
  const onOuterAbort = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: { cancel(): void } | null = null;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = opts.clock.setTimeout(() => {
      ac.abort(new Error('timed out'));
      resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  let result: CheckResult;
  try {
    result = await Promise.race([check.run(ac.signal).then(normalise), timedOut]);
  } catch (e) {
    result = { ok: false, detail: `error: ${errorMessage(e)}` };
  } finally {
    (timer as { cancel(): void } | null)?.cancel();
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  const at = opts.clock.now();
  return { name: check.name, ok: result.ok, detail: result.detail, at, durationMs: at - started };
}

/** Checks are written by others: guard against a missing detail or a truthy non-boolean. */
function normalise(r: CheckResult): CheckResult {
  return { ok: r?.ok === true, detail: typeof r?.detail === 'string' ? r.detail.slice(0, 500) : String(r?.detail ?? '') };
}
