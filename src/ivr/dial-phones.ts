/**
 * One round of a page rings a person's phones in order: the first that is answered carries the
 * call; one that is not answered (no answer, busy, declined, unreachable, failed) hands over to the
 * next at once, in the same attempt. Only when every phone went unanswered does the round count
 * as one unanswered attempt for the retry policy. How a single phone is dialled is passed in, so
 * the dial itself (one trunk today) can be replaced without touching the order.
 */
import type { CallLeg, CallEnd } from '../telephony/types';
import type { DialLeg } from '../db/notifications/types';
import type { AttemptOutcome } from './call-types';

/** How dialling one phone ended: answered (the call goes on on `leg`), or not. */
/**
 * `trunk`: the trunk of the last leg, null when nothing was dialled (a number no template can
 * dial). `legs`: the dials behind it (several when trunks failed over); absent when nothing was
 * dialled, and the round records the phone as one leg of its own.
 */
export type PhoneDial =
  | { status: 'answered'; leg: CallLeg; trunk: string; legs?: DialLeg[] }
  | { status: 'unanswered'; outcome: AttemptOutcome; end: CallEnd | null; cause: string; trunk: string | null; legs?: DialLeg[] };

/** Not answered here, but another of the person's phones may be: try the next one. */
const NEXT_PHONE = new Set<AttemptOutcome>(['no-answer', 'busy', 'rejected', 'unreachable', 'failed', 'congestion']);

export interface PhonesRound {
  /** The answered dial, or the unanswered one that decides the attempt's outcome. */
  result: PhoneDial;
  /** Index into the person's phones of `result`. */
  phoneIndex: number;
  legs: DialLeg[];
}

export async function dialPhonesInOrder(
  phones: readonly string[],
  dial: (number: string, phoneIndex: number) => Promise<PhoneDial>,
  now: () => number,
  stopped: () => boolean,
): Promise<PhonesRound> {
  const legs: DialLeg[] = [];
  const unanswered: { result: PhoneDial & { status: 'unanswered' }; phoneIndex: number }[] = [];
  for (let i = 0; i < phones.length; i++) {
    const startedAt = now();
    const result = await dial(phones[i], i);
    if (result.status === 'answered') {
      legs.push(
        ...(result.legs ?? [
          { trunk: result.trunk, phoneIndex: i, startedAt, endedAt: null, outcome: 'answered', cause: null, sipCode: null },
        ]),
      );
      return { result, phoneIndex: i, legs };
    }
    legs.push(
      ...(result.legs ?? [
        {
          trunk: result.trunk ?? '',
          phoneIndex: i,
          startedAt,
          endedAt: now(),
          outcome: result.outcome,
          cause: result.end?.cause ?? null,
          sipCode: result.end?.sipCode ?? null,
        },
      ]),
    );
    unanswered.push({ result, phoneIndex: i });
    if (!NEXT_PHONE.has(result.outcome) || stopped()) return { ...unanswered[unanswered.length - 1], legs };
  }
  return { ...roundOutcome(unanswered), legs };
}

/**
 * The unanswered dial that stands for the round: the last one, except that a number that can
 * never be reached must not end the page's retries while another of the person's phones only
 * went unanswered this time.
 */
function roundOutcome<T extends { result: { outcome: AttemptOutcome } }>(tries: T[]): T {
  const hopeful = tries.filter((t) => t.result.outcome !== 'unreachable');
  return hopeful[hopeful.length - 1] ?? tries[tries.length - 1];
}
