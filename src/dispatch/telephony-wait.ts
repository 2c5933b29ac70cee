/**
 * Voice pages wait while no Asterisk is connected (a dropped socket, a restart, another process
 * holding our Stasis app), instead of burning their attempts on a phone system that is not
 * there. While telephony is down the voice engine claims only pages that have been due for
 * DOZVON_TELEPHONY_WAIT_MS (default 2 min) and hands those to SMS/push; the rest stay queued and
 * are called as soon as telephony is back. How long a page has waited is read from the queue
 * itself (its due time), so a restart or another instance continues the same wait.
 */
import type { TelephonyHealth } from '../telephony/types';

export const DEFAULT_TELEPHONY_WAIT_MS = 120_000;
/** A page that outwaited telephony but has no other channel looks again this much later. */
export const TELEPHONY_RECHECK_MS = 10_000;

export interface TelephonyState {
  health(): Pick<TelephonyHealth, 'ok' | 'configured' | 'message'>;
}

export interface TelephonyHold {
  /** Claim only pages due at or before this time: they have waited long enough. */
  dueBefore: number;
  reason: string;
}

/**
 * Null when calls can be placed. Unconfigured telephony is not a wait either: the call runner
 * reports `not-configured` and the page falls back at once, as it always did.
 */
export function telephonyHold(
  telephony: TelephonyState | undefined,
  now: number,
  waitMs = DEFAULT_TELEPHONY_WAIT_MS,
): TelephonyHold | null {
  if (!telephony) return null;
  const h = telephony.health();
  if (h.ok || !h.configured) return null;
  return { dueBefore: now - waitMs, reason: `no Asterisk connected for ${formatWait(waitMs)} (${h.message})` };
}

function formatWait(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
