/**
 * Structured settings that only make sense in the YAML file (lists and maps).
 * Each module owns its schema; this file only puts them together.
 */
import { z } from '../core/validate';

/** Who is paged when an engineer presses 2 (escalate) for an alert group of a given team. */
const pageTarget = z
  .object({
    label: z.string().min(1).optional(),
    schedule: z.string().min(1).optional(),
    users: z.array(z.string().min(1)).optional(),
    team: z.string().min(1).optional(),
  })
  .refine((t) => t.schedule || (t.users && t.users.length) || t.team, { message: 'needs schedule, users or team' });

export const sectionsSchema = z
  .object({
    escalation: z
      .object({
        default: pageTarget.optional(),
        teams: z.record(z.string(), pageTarget).optional(),
      })
      .optional(),
    reassign: z.array(pageTarget).max(9).optional(),
  })
  .passthrough();

export type Sections = z.infer<typeof sectionsSchema>;
export type PageTarget = z.infer<typeof pageTarget>;
