/**
 * How long each page of a call waited, split the way the metrics need it: a page's first call
 * is dispatch latency (received → originate); a retry's wait runs from the end of its previous
 * call, so the 15 s and 60 s of the retry policy never pollute the dispatch percentiles.
 */
import type { Attempt } from '../db/notifications-repo';

export interface CallWaits {
  /** One per page called for the first time: received → originate, ms. */
  firstWaitsMs: number[];
  /** One per retried page: end of its previous call → originate, ms. */
  retryWaitsMs: number[];
}

/** `earlier` holds each page's attempts before this call (any channel; only voice counts). */
export function callWaits(
  pages: readonly { id: number; receivedAt: number }[],
  earlier: ReadonlyMap<number, readonly Attempt[]>,
  now: number,
): CallWaits {
  const out: CallWaits = { firstWaitsMs: [], retryWaitsMs: [] };
  for (const p of pages) {
    const voice = (earlier.get(p.id) ?? []).filter((a) => a.channel === 'voice');
    if (voice.length === 0) out.firstWaitsMs.push(now - p.receivedAt);
    else out.retryWaitsMs.push(now - Math.max(...voice.map((a) => a.endedAt ?? a.startedAt)));
  }
  return out;
}

/** Voice attempts a page had before this call. */
export function earlierVoiceAttempts(id: number, earlier: ReadonlyMap<number, readonly Attempt[]>): number {
  return (earlier.get(id) ?? []).filter((a) => a.channel === 'voice').length;
}
