/**
 * When to call again. Busy (and network congestion) is retried quickly, every
 * 15 s up to 3 times; no answer, rejection, failure, an answer without a digit or an answering
 * machine gets 2 more calls 60 s apart; a number that can never work is not retried. Pure data + one function.
 *
 * An answering machine is not delivery: nobody pressed a key, and the message left may be heard
 * hours later. It counts like an unanswered call (the person may pick up the next one a minute
 * later), not like busy: retrying a mailbox every 15 s would only fill it.
 */
import type { AttemptOutcome } from '../ivr/call-types';

export interface RetryPolicy {
  busy: { everyMs: number; times: number };
  other: { everyMs: number; times: number };
  /** No Asterisk connected at the moment (a restart takes seconds): wait a little, a bounded number of times. */
  unavailable: { everyMs: number; times: number };
}

export const DEFAULT_RETRY: RetryPolicy = {
  busy: { everyMs: 15_000, times: 3 },
  other: { everyMs: 60_000, times: 2 },
  unavailable: { everyMs: 10_000, times: 6 },
};

export type RetryDecision = { kind: 'retry'; delayMs: number; reason: string } | { kind: 'give-up'; reason: string };

const BUSY_CLASS = new Set<AttemptOutcome>(['busy', 'congestion']);
// Calls that were cut by our own crash or restart do not use up the person's retries.
const FREE = new Set<AttemptOutcome>(['interrupted', 'unavailable']);

/** `history` holds the outcomes of every undelivered voice attempt so far, oldest first, including the last one. */
export function decideRetry(history: AttemptOutcome[], policy: RetryPolicy = DEFAULT_RETRY): RetryDecision {
  const last = history[history.length - 1];
  if (last === undefined) return { kind: 'retry', delayMs: 0, reason: 'first attempt' };
  if (last === 'unreachable' || last === 'not-configured')
    return { kind: 'give-up', reason: last === 'unreachable' ? 'the number cannot be reached' : 'telephony is not configured' };
  const triggers = history.slice(0, -1);
  if (last === 'unavailable') {
    const waited = triggers.filter((o) => o === 'unavailable').length;
    if (waited < policy.unavailable.times)
      return {
        kind: 'retry',
        delayMs: policy.unavailable.everyMs,
        reason: `no Asterisk connected; waiting (${waited + 1} of ${policy.unavailable.times})`,
      };
    return {
      kind: 'give-up',
      reason: `no Asterisk connected for ${Math.round((policy.unavailable.times * policy.unavailable.everyMs) / 1000)} s`,
    };
  }
  if (FREE.has(last)) return { kind: 'retry', delayMs: 0, reason: 'the previous call was interrupted by a restart' };
  // Each earlier outcome triggered one retry; count them by class.
  const busyRetries = triggers.filter((o) => BUSY_CLASS.has(o)).length;
  const otherRetries = triggers.filter((o) => !BUSY_CLASS.has(o) && !FREE.has(o)).length;
  if (BUSY_CLASS.has(last)) {
    if (busyRetries < policy.busy.times)
      return { kind: 'retry', delayMs: policy.busy.everyMs, reason: `${last}; busy retry ${busyRetries + 1} of ${policy.busy.times}` };
    return { kind: 'give-up', reason: `${last} after ${policy.busy.times} busy retries` };
  }
  if (otherRetries < policy.other.times)
    return {
      kind: 'retry',
      delayMs: policy.other.everyMs,
      reason: `${describe(last)}; retry ${otherRetries + 1} of ${policy.other.times}`,
    };
  return { kind: 'give-up', reason: `${describe(last)} after ${history.length} calls` };
}

function describe(o: AttemptOutcome): string {
  if (o === 'voicemail') return 'answering machine (message left)';
  return o === 'answered' ? 'answered without a digit' : o;
}
