/**
 * What the front-ends (CLI, console, import) may ask of the teams service, validated here once so
 * each front-end only parses. People are named by email; teams, schedules and policies by name or id.
 */
import { IANAZone } from 'luxon';
import { z, describeIssues, hasBidiControl, NO_BIDI_MESSAGE } from '../core/validate';
import { ValidationError } from '../core/errors';

const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !hasBidiControl(s), NO_BIDI_MESSAGE);
const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');
const weekday = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6), z.literal(7)]);
const email = z.string().trim().min(3).max(254);
const epochMs = z.number().int().nonnegative();

export const restrictionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('time-of-day'), start: hm, end: hm }),
  z.object({ kind: z.literal('weekday-and-time-of-day'), startDay: weekday, start: hm, endDay: weekday, end: hm }),
]);

export const teamInput = z.object({ name, description: z.string().max(2000).default('') });
export type TeamInput = z.input<typeof teamInput>;

export const scheduleInput = z.object({
  name,
  team: z.string().nullable().default(null),
  timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin'),
  enabled: z.boolean().default(true),
});
export type ScheduleInput = z.input<typeof scheduleInput>;

export const rotationInput = z
  .object({
    name,
    participants: z.array(email).min(1).max(200),
    startsAt: epochMs,
    endsAt: epochMs.nullable().default(null),
    length: z.number().int().min(1).max(1000),
    unit: z.enum(['hours', 'days', 'weeks']),
    restrictions: z.array(restrictionSchema).max(50).default([]),
  })
  .refine((r) => r.endsAt === null || r.endsAt > r.startsAt, { message: 'must be after startsAt', path: ['endsAt'] });
export type RotationInput = z.input<typeof rotationInput>;

export const overrideInput = z
  .object({ user: email, startsAt: epochMs, endsAt: epochMs, rotation: z.string().nullable().default(null) })
  .refine((o) => o.endsAt > o.startsAt, { message: 'must be after startsAt', path: ['endsAt'] })
  // An override is a stand-in for a while, not a second rotation.
  .refine((o) => o.endsAt - o.startsAt <= 90 * 86_400_000, { message: 'an override lasts at most 90 days', path: ['endsAt'] });
export type OverrideInput = z.input<typeof overrideInput>;

const stepTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('schedule'), name: z.string() }),
  z.object({ kind: z.literal('user'), email }),
  z.object({ kind: z.literal('team'), name: z.string() }),
]);
export type StepTargetInput = z.infer<typeof stepTarget>;

export const policyInput = z.object({
  name,
  team: z.string().nullable().default(null),
  steps: z
    .array(
      z.object({
        afterMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60),
        target: stepTarget,
      }),
    )
    .min(1)
    .max(20),
  repeat: z.number().int().min(0).max(20).default(0),
  repeatAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(0),
});
export type PolicyInput = z.input<typeof policyInput>;

/** Parses or throws a ValidationError naming the fields. */
export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(describeIssues(r.error));
  return r.data;
}
