/**
 * Self-checks: small probes of the parts dozvon depends on (ARI, senders, OnCall, TTS).
 * Each has a name and run(signal); a check that throws or times out counts as failed.
 */
import type { Clock } from '../../core/clock';
import { describeNetError } from '../../core/net-hint';

/**
 * `ok`; `degraded`: it works with less (espeak while Google is unreachable, or a sender whose
 * recent sends failed), nobody need act at night; `down`: this part does not work; `unchecked`:
 * nothing could be probed (a sender without a health URL), so calling it ok would be a guess;
 * `not configured`: not set up, on purpose.
 * Only `down` counts as failing (admins told, `dozvon check` exit 1).
 */
export const CHECK_STATES = ['ok', 'degraded', 'down', 'unchecked', 'not configured'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

export interface CheckResult {
  /** False only when down. */
  ok: boolean;
  detail: string;
  /** Defaults to `ok` / `down` from `ok`. */
  state?: CheckState;
}

export const degraded = (detail: string): CheckResult => ({ ok: true, state: 'degraded', detail });
export const notConfigured = (detail: string): CheckResult => ({ ok: true, state: 'not configured', detail });

export interface Check {
  name: string;
  run(signal: AbortSignal): Promise<CheckResult>;
}

export interface CheckOutcome extends CheckResult {
  name: string;
  state: CheckState;
  /** When the run finished (epoch ms). */
  at: number;
  durationMs: number;
}

/** Wraps a plain function (ARI health, a sender's health, OnCall reachability, a TTS render) as a Check. */
export function checkFrom(name: string, fn: (signal: AbortSignal) => Promise<CheckResult>): Check {
  return { name, run: fn };
}

/** A check over a boolean probe: `ok` / `failing` plus the given detail texts. */
export function boolCheck(
  name: string,
  probe: (signal: AbortSignal) => Promise<boolean>,
  texts: { ok?: string; failed?: string } = {},
): Check {
  return checkFrom(name, async (signal) =>
    (await probe(signal)) ? { ok: true, detail: texts.ok ?? 'ok' } : { ok: false, detail: texts.failed ?? 'failing' },
  );
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
      resolve({ ok: false, state: 'down', detail: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  let result: CheckResult;
  try {
    result = await Promise.race([check.run(ac.signal).then(normalise), timedOut]);
  } catch (e) {
    result = { ok: false, state: 'down', detail: `error: ${describeNetError(e)}` };
  } finally {
    (timer as { cancel(): void } | null)?.cancel();
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  const at = opts.clock.now();
  const state = result.state ?? (result.ok ? 'ok' : 'down');
  return { name: check.name, ok: state !== 'down', state, detail: result.detail, at, durationMs: at - started };
}

/** Checks are written by others: guard against a missing detail or a truthy non-boolean. */
function normalise(r: CheckResult): CheckResult {
  const ok = r?.ok === true;
  const state: CheckState = CHECK_STATES.includes(r?.state as CheckState) ? r.state! : ok ? 'ok' : 'down';
  // A result that says ok: false is down whatever state it names; one that says ok is never down.
  const fixed: CheckState = !ok ? 'down' : state === 'down' ? 'ok' : state;
  return { ok, state: fixed, detail: typeof r?.detail === 'string' ? r.detail.slice(0, 500) : String(r?.detail ?? '') };
}
