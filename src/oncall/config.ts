/**
 * YAML sections owned by OnCall direct paging: `escalation:` (digit 2) and `reassign:` (digit 3).
 * The config loader merges them into its sections; the hotline reads the same target shape.
 */
import { z } from '../core/validate';

/**
 * Whom to page (OnCall direct paging). `schedule`: a schedule pk (S…) or exact name, whose
 * current on-call users are paged. `users`: OnCall user pks (U…), emails or usernames. `team`:
 * a team pk (T…) or exact name, paged as a team (its direct-paging escalation). A team cannot be
 * combined with users or a schedule: OnCall pages either users or a team, never both.
 */
export const pageTargetSchema = z
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
  .refine((t) => !(t.team && (t.schedule || t.users?.length)), {
    message: 'team cannot be combined with schedule or users (OnCall pages either users or a team)',
  });

export const pagingSections = {
  /** Digit 2: the target for an alert group's team (keyed by team pk), else `default`. */
  escalation: z
    .object({
      default: pageTargetSchema.optional(),
      teams: z.record(z.string(), pageTargetSchema).optional(),
    })
    .strict()
    .optional(),
  /** Digit 3: the numbered list read to the caller (at most 9, one digit each). */
  reassign: z.array(pageTargetSchema).min(1).max(9).optional(),
};

export type PageTarget = z.infer<typeof pageTargetSchema>;
const pagingObject = z.object(pagingSections);
export type PagingSections = z.infer<typeof pagingObject>;
