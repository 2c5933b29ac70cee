/**
 * The `hotline:` section of the YAML config file (docs/hotline.md). The lead adds
 * `hotline: hotlineSectionSchema.optional()` to sectionsSchema; absent means the defaults.
 */
import { z } from '../core/validate';

const email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+$/, 'not an e-mail address');

export const hotlineSectionSchema = z
  .object({
    /** OnCall schedule (pk S… or exact name) whose on-call-now engineers take digit 9. Else escalation.default. */
    schedule: z.string().trim().min(1).optional(),
    /** Directory e-mails rung in order after the on-call engineers (the hunt list). */
    hunt: z.array(email).default([]),
    /** Longest voicemail a caller may leave. */
    record_max_seconds: z.number().int().min(5).max(600).default(120),
    /** A formatted_webhook integration URL: a left message raises an alert there with a link to it. */
    oncall_alert_url: z.url().optional(),
    /** How long each engineer's phone rings before the next one is tried. */
    ring_timeout_seconds: z.number().int().min(5).max(120).default(25),
    /** Known callers (caller ID in the directory) must also enter their PIN before hearing anything. */
    require_pin: z.boolean().default(false),
    /** How long the incident list read from OnCall is reused, so a burst of callers asks OnCall once. */
    cache_seconds: z.number().int().min(0).max(300).default(10),
  })
  .strict();

export type HotlineSection = z.infer<typeof hotlineSectionSchema>;

export function hotlineSectionDefaults(): HotlineSection {
  return hotlineSectionSchema.parse({});
}
