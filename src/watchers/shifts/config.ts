/**
 * The `shifts:` YAML section. The lead merges `shiftsSections` into src/config/sections.ts.
 *
 *   shifts:
 *     enabled: true
 *     schedules: all            # or a list of schedule ids / exact names
 *     remind_before: 15m        # 0 = no reminder
 *     every: 1m
 */
import { z } from '../../core/validate';
import { durationSeconds } from '../config';
import { isValidZone } from '../../core/time';

const scheduleList = z.union([z.literal('all'), z.array(z.string().trim().min(1).max(200)).min(1)]);

const shiftsObject = z.object({
  /** On when the section is written; off when the section is absent (see shiftsSectionDefaults). */
  enabled: z.boolean().default(true),
  schedules: scheduleList.default('all'),
  remind_before: durationSeconds.default(0).refine((s) => s <= 7 * 86400, 'at most 7d'),
  every: durationSeconds.default(60).refine((s) => s >= 10 && s <= 3600, 'between 10s and 1h'),
  /** Tell people when their shift starts / ends (the reminder has its own switch: remind_before). */
  on_call: z.boolean().default(true),
  off_call: z.boolean().default(true),
  /** Zone for people with no time zone in the directory or in OnCall. */
  default_timezone: z.string().trim().min(1).default('UTC').refine(isValidZone, 'not an IANA time zone (e.g. Europe/Berlin)'),
});

export const shiftsSectionSchema = shiftsObject;
export type ShiftsSection = z.infer<typeof shiftsObject>;

/** What the lead adds to sectionsSchema. */
export const shiftsSections = { shifts: shiftsSectionSchema.optional() };

/** Defaults when the YAML file has no `shifts:` section (watcher off). */
export function shiftsSectionDefaults(): ShiftsSection {
  return { ...shiftsObject.parse({}), enabled: false };
}
