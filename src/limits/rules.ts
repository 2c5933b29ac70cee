/**
 * Rate limits as data, GoAlert style: per person and channel, "at most N sends per window",
 * several rules per channel allowed (e.g. 1/1m and 3/15m), plus a global rate over all sends.
 * The `limits` YAML section accepts "3/15m" strings or {count, per} objects.
 */
import { z } from '../core/validate';

export const LIMIT_CHANNELS = ['voice', 'sms', 'push'] as const;
export type LimitChannel = (typeof LIMIT_CHANNELS)[number];

export interface Rule {
  count: number;
  windowMs: number;
}

export interface Limits {
  perUser: Record<LimitChannel, Rule[]>;
  /** Over every send of every channel and person: protects gateways and the SMS bill. */
  global: Rule[];
  /** Calls to one person start at least this far apart (0 = no spacing): the storm ceiling of voice. */
  callGapMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  perUser: {
    voice: [{ count: 3, windowMs: 15 * 60_000 }],
    sms: [{ count: 5, windowMs: 15 * 60_000 }],
    push: [{ count: 10, windowMs: 15 * 60_000 }],
  },
  global: [{ count: 120, windowMs: 60_000 }],
  callGapMs: 15_000,
};

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h30m" or a number of milliseconds. */
export function parseDuration(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : null;
  const s = v.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNITS[m[2]];
  return total > 0 ? total : null;
}

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (e.g. 30s, 15m, 1h)` });
    return z.NEVER;
  }
  return ms;
});

const ruleSchema = z.union([
  z.string().transform((s, ctx): Rule => {
    const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(s);
    const windowMs = m ? parseDuration(m[2]) : null;
    if (!m || windowMs === null || Number(m[1]) < 1) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a rule: write COUNT/WINDOW, e.g. 3/15m` });
      return z.NEVER;
    }
    return { count: Number(m[1]), windowMs };
  }),
  z
    .object({ count: z.number().int().min(1), per: duration })
    .strict()
    .transform((r): Rule => ({ count: r.count, windowMs: r.per })),
]);

const rules = z.union([ruleSchema, z.array(ruleSchema).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const limitsSchema = z
  .object({
    per_user: z.object({ voice: rules.optional(), sms: rules.optional(), push: rules.optional() }).strict().default({}),
    global: rules.optional(),
    /** 0 turns the spacing off (benchmarks); anything else is a duration up to 30 s (a new incident must ring within 30 s). */
    call_gap: z
      .union([z.literal(0), duration.refine((ms) => ms <= 30_000, 'at most 30s: a new incident must ring within 30 s')])
      .optional(),
  })
  .strict()
  .default({ per_user: {} })
  .transform((c): Limits => ({
    perUser: {
      voice: c.per_user.voice ?? DEFAULT_LIMITS.perUser.voice,
      sms: c.per_user.sms ?? DEFAULT_LIMITS.perUser.sms,
      push: c.per_user.push ?? DEFAULT_LIMITS.perUser.push,
    },
    global: c.global ?? DEFAULT_LIMITS.global,
    callGapMs: c.call_gap ?? DEFAULT_LIMITS.callGapMs,
  }));

export type LimitsSectionInput = z.input<typeof limitsSchema>;
