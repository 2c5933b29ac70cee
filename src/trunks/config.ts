/**
 * The `trunks:` section of the YAML config file: the carriers a call may go out on, tried in
 * `order`. Without it, DOZVON_DIAL_TEMPLATE and DOZVON_CALLER_ID make one trunk named `default`,
 * so a one-carrier setup needs no YAML at all.
 */
import { z } from '../core/validate';
import { buildDialString } from '../telephony/dial-string';

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

function templateWorks(template: string): boolean {
  try {
    buildDialString(template, '100');
    return true;
  } catch {
    return false;
  }
}

const testCallSchema = z
  .object({
    /** An answer-only or echo number at the provider, or a bench phone. */
    number: z.string().regex(/^\+?[0-9]{2,15}$/, 'digits with an optional leading +'),
    /** Minutes between test calls. */
    every: z.number().int().min(1).max(1440),
    /** Seconds the test number has to answer before the trunk counts as failing. */
    answer_within: z.number().int().min(3).max(120).default(20),
  })
  .strict();

export const trunkSchema = z
  .object({
    name: z.string().regex(NAME, 'letters, digits, _ and -, at most 32, starting with a letter or digit'),
    /** Originate endpoint with `{number}`, e.g. PJSIP/{number}@carrier-a. */
    dial: z.string().min(1).refine(templateWorks, 'must contain {number}'),
    /** Lower is tried first; ties keep the list's order. */
    order: z.number().int().min(0).max(1000).optional(),
    caller_id: z.string().min(1).max(80).optional(),
    /** Calls this carrier accepts at once; a trunk at its cap is skipped like an open breaker. */
    max_calls: z.number().int().min(1).max(10_000).optional(),
    /**
     * A carrier that never answers the INVITE shows no 180 at all; after this many seconds without
     * ringing the leg is cancelled and the next trunk dialled. 0 waits for the ring timeout.
     */
    ring_within_seconds: z.number().int().min(0).max(60).default(8),
    /** Carrier-side failures in a row that open the breaker. */
    breaker_failures: z.number().int().min(1).max(100).default(3),
    /** How long an open breaker skips the trunk before one call tries it again. */
    breaker_cooldown_seconds: z.number().int().min(5).max(3600).default(60),
    test: testCallSchema.optional(),
  })
  .strict();

export const trunksSectionSchema = z
  .array(trunkSchema)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      const key = t.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate trunk name "${t.name}"` });
      seen.add(key);
    });
  });

export type TrunkSection = z.infer<typeof trunkSchema>;

/** One carrier as the dialer uses it. */
export interface Trunk {
  name: string;
  dialTemplate: string;
  callerId: string | null;
  maxCalls: number | null;
  ringWithinMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  test: { number: string; everyMs: number; answerWithinSec: number } | null;
}

/** The trunks in dialling order: the YAML list when given, else the one-trunk shorthand from the environment. */
export function resolveTrunks(section: readonly TrunkSection[] | undefined, shorthand: { dialTemplate: string }): Trunk[] {
  if (!section || section.length === 0) {
    const defaults = trunkSchema.parse({ name: 'default', dial: shorthand.dialTemplate });
    return [toTrunk(defaults)];
  }
  return section
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.order ?? a.i) - (b.t.order ?? b.i) || a.i - b.i)
    .map(({ t }) => toTrunk(t));
}

function toTrunk(t: TrunkSection): Trunk {
  return {
    name: t.name,
    dialTemplate: t.dial,
    callerId: t.caller_id ?? null,
    maxCalls: t.max_calls ?? null,
    ringWithinMs: t.ring_within_seconds * 1000,
    breakerFailures: t.breaker_failures,
    breakerCooldownMs: t.breaker_cooldown_seconds * 1000,
    test: t.test ? { number: t.test.number, everyMs: t.test.every * 60_000, answerWithinSec: t.test.answer_within } : null,
  };
}
