/**
 * Hangup cause + Dial status → outcome (the mapping is in docs/asterisk.md). With Local channels the
 * app's own channel dies with cause 0 on busy and congestion: the reason is only in Dial.dialstatus
 * and on the `;2` half, so every source is consulted and cause 0 means "look elsewhere".
 */
import type { CallEnd, CallOutcome } from './types';

export const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  3: 'No route to destination',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  27: 'Destination out of order',
  28: 'Invalid number format (addr incomplete)',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  127: 'Interworking, unspecified',
};

export interface OutcomeInput {
  answered: boolean;
  /** ChannelDestroyed.cause of the app's channel (or the hard hangup request cause of an inbound one). */
  cause: number | null;
  /** ChannelDestroyed.cause of the `;2` half of a Local channel, when seen. */
  partnerCause?: number | null;
  dialStatus: string | null;
  /** ARI `tech_cause` of the app's channel (the SIP code on a PJSIP trunk). */
  sipCode?: number | null;
  lostConnection?: boolean;
}

const BY_CAUSE: Record<number, CallOutcome> = {
  1: 'unreachable',
  3: 'unreachable',
  20: 'unreachable',
  22: 'unreachable',
  27: 'unreachable',
  28: 'unreachable',
  17: 'busy',
  18: 'no-answer',
  19: 'no-answer',
  21: 'rejected',
  34: 'congestion',
  42: 'congestion',
  44: 'congestion',
  38: 'failed',
  41: 'failed',
  58: 'failed',
  127: 'failed',
};

const BY_DIAL: Record<string, CallOutcome> = {
  BUSY: 'busy',
  CONGESTION: 'congestion',
  CHANUNAVAIL: 'unreachable',
  NOANSWER: 'no-answer',
  CANCEL: 'no-answer',
};

export function classifyEnd(input: OutcomeInput): CallEnd {
  const primary = input.cause !== null && input.cause !== 0 ? input.cause : null;
  const partner = input.partnerCause !== undefined && input.partnerCause !== null && input.partnerCause !== 0 ? input.partnerCause : null;
  const cause = primary ?? partner ?? input.cause;
  const base = {
    answered: input.answered,
    cause,
    causeText: cause === null ? '' : (CAUSE_TEXT[cause] ?? `Cause ${cause}`),
    dialStatus: input.dialStatus,
    sipCode: input.sipCode ?? null,
  };
  const lost = input.lostConnection ? { lostConnection: true } : {};
  if (input.answered) return { outcome: 'answered', ...base, ...lost };
  if (input.lostConnection && cause === null) return { outcome: 'failed', ...base, ...lost };
  return { outcome: outcomeOf(cause, primary, partner, input.dialStatus), ...base, ...lost };
}

function outcomeOf(cause: number | null, primary: number | null, partner: number | null, dial: string | null): CallOutcome {
  // Dial BUSY/CONGESTION/CHANUNAVAIL is specific; NOANSWER is what Asterisk's dial code derives from any other cause (a rejection too).
  if (dial && dial !== 'NOANSWER' && dial !== 'CANCEL' && BY_DIAL[dial]) return BY_DIAL[dial];
  const specific = [primary, partner].find((c) => c !== null && c !== 16 && BY_CAUSE[c] !== undefined);
  if (specific !== undefined && specific !== null) return BY_CAUSE[specific];
  if (dial && BY_DIAL[dial]) return BY_DIAL[dial];
  if (cause === 16) return 'no-answer'; // cleared before any answer (app cancel or a caller giving up)
  if (dial === null && (cause === 0 || cause === null)) return 'unreachable'; // nothing was dialled: no such extension
  if (dial === 'RINGING' || dial === 'PROGRESS' || dial === 'PROCEEDING') return 'no-answer';
  return 'failed';
}
