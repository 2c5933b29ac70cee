/**
 * Whether a leg that ended before answer failed on the carrier's side (dial the next trunk at once)
 * or reached the person (busy, declined, wrong number, no answer: another carrier would only ring
 * the same phone again). Rules as data, read top to bottom; the first that matches decides.
 */
import type { CallEnd } from '../telephony/types';

export type LegFate = 'carrier' | 'person';

interface Rule {
  why: string;
  fate: LegFate;
  when: (e: EndFacts) => boolean;
}

export interface EndFacts {
  /** Something rang (SIP 180) or the call was answered: the carrier did its part. */
  rang: boolean;
  cause: number | null;
  sipCode: number | null;
  dialStatus: string | null;
}

/** The person's answers: no carrier can change them. */
const PERSON_CAUSES = new Set([1, 16, 17, 18, 19, 21]);
/** Q.850 causes a carrier gives when it, not the callee, could not carry the call. */
const CARRIER_CAUSES = new Set([27, 34, 38, 41, 42, 102]);
const CARRIER_DIAL = new Set(['CHANUNAVAIL', 'CONGESTION']);

const isCarrierSip = (code: number | null): boolean => code !== null && (code === 408 || (code >= 500 && code <= 599));

export const FAILOVER_RULES: readonly Rule[] = [
  { why: 'it rang or was answered: the carrier reached the phone', fate: 'person', when: (e) => e.rang },
  {
    why: 'busy, declined, unallocated or no answer',
    fate: 'person',
    when: (e) => e.cause !== null && PERSON_CAUSES.has(e.cause) && !isCarrierSip(e.sipCode),
  },
  { why: 'the carrier answered 408 or 5xx', fate: 'carrier', when: (e) => isCarrierSip(e.sipCode) },
  { why: 'a network-side hangup cause', fate: 'carrier', when: (e) => e.cause !== null && CARRIER_CAUSES.has(e.cause) },
  {
    why: 'the channel was unavailable or congested',
    fate: 'carrier',
    when: (e) => e.dialStatus !== null && CARRIER_DIAL.has(e.dialStatus),
  },
  { why: 'anything else is not known to be the carrier', fate: 'person', when: () => true },
];

export function legFate(e: EndFacts): LegFate {
  return (FAILOVER_RULES.find((r) => r.when(e)) as Rule).fate;
}

export function factsOf(end: CallEnd, rang: boolean): EndFacts {
  return { rang: rang || end.answered, cause: end.cause, sipCode: end.sipCode ?? null, dialStatus: end.dialStatus };
}
