/**
 * Structured settings that only make sense in the YAML file (lists and maps).
 * Documented for operators in docs/oncall.md.
 */
import { z } from '../core/validate';
import { watcherSections } from '../watchers/config';
import { sendersSchema } from '../senders/config';
import { limitsSchema } from '../limits/rules';
import { hotlineSectionSchema } from '../hotline/config';
import { shiftsSections } from '../watchers/shifts/config';
import { retentionSectionSchema } from '../retention/config';

/**
 * Whom to page (OnCall direct paging). `schedule`: a schedule pk (S…) or exact name, whose
 * current on-call users are paged. `users`: OnCall user pks (U…), emails or usernames. `team`:
 * a team pk (T…) or exact name, paged as a team (its direct-paging escalation). A team cannot be
 * combined with users or a schedule: OnCall pages either users or a team, never both.
 */
const pageTarget = z
  .object({
    label: z.string().trim().min(1).max(100).optional(),
    schedule: z.string().trim().min(1).optional(),
    users: z.array(z.string().trim().min(1)).optional(),
    team: z.string().trim().min(1).optional(),
    /** Page with the users' "important" notification rules. */
    important: z.boolean().optional(),
  })
  .strict()
  .refine((t) => t.schedule || (t.users && t.users.length) || t.team, { message: 'needs schedule, users or team' })
  .refine((t) => !(t.team && (t.schedule || t.users?.length)), { message: 'team cannot be combined with schedule or users (OnCall pages either users or a team)' });

export const sectionsSchema = z
  .object({
    /** Digit 2: the target for an alert group's team (keyed by team pk), else `default`. */
    escalation: z
      .object({
        default: pageTarget.optional(),
        teams: z.record(z.string(), pageTarget).optional(),
      })
      .strict()
      .optional(),
    /** Digit 3: the numbered list read to the caller (at most 9, one digit each). */
    reassign: z.array(pageTarget).min(1).max(9).optional(),
    ...watcherSections,
    senders: sendersSchema.optional(),
    limits: limitsSchema,
    hotline: hotlineSectionSchema.optional(),
    retention: retentionSectionSchema.optional(),
    ...shiftsSections,
  })
  .passthrough();

export type Sections = z.infer<typeof sectionsSchema>;
export type PageTarget = z.infer<typeof pageTarget>;
