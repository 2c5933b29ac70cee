/**
 * YAML sections owned by the watchers: `heartbeats:` (what to watch, where to raise the OnCall
 * alert, who to page by default) and `admins:` (who hears about failed self-checks).
 * The lead merges these into src/config/sections.ts.
 */
import { z } from '../core/validate';
import { parseDuration } from './duration';
import { HEARTBEAT_KINDS } from './heartbeats/model';

/** A duration (`90s`, `5m`, `1h`, or seconds as a number) → whole seconds. */
export const durationSeconds = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (e.g. 90s, 5m, 1h)` });
    return z.NEVER;
  }
  return Math.round(ms / 1000);
});

const email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+$/, 'not an e-mail address');

export const declaredHeartbeatSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/]+$/, 'must not contain "/"'),
  kind: z.enum(HEARTBEAT_KINDS).default('healthchecks'),
  every: durationSeconds.refine((s) => s >= 1, 'must be at least 1s'),
  grace: durationSeconds.default(0),
  page: z.array(email).default([]),
  description: z.string().max(500).optional(),
});

const heartbeatsObject = z.object({
  /** A formatted_webhook integration URL in OnCall: dozvon raises (and resolves) an alert there too. */
  oncall_alert_url: z.url().optional(),
  /** Paged for heartbeats without their own list (the OnCall engine heartbeat, auto-created Watchdogs). */
  page: z.array(email).default([]),
  /** Create the Alertmanager Watchdog heartbeat on its first ping (only when `page` is not empty). */
  watchdog_auto_create: z.boolean().default(true),
  watchdog_every: durationSeconds.default(300),
  watchdog_grace: durationSeconds.default(300),
  /** Heartbeats that may exist before a heartbeat key may create no more (each one pages when it expires). */
  api_create_limit: z.number().int().min(0).default(100),
  declare: z.array(declaredHeartbeatSchema).default([]),
});

/** `heartbeats:` is either the full mapping or, for short configs, just the list to declare. */
export const heartbeatsSectionSchema = z.preprocess((v) => (Array.isArray(v) ? { declare: v } : v), heartbeatsObject);

/** `admins:` is a list of e-mail addresses (the directory resolves them to channels). */
export const adminsSectionSchema = z.array(email).default([]);

/** What the lead adds to sectionsSchema: `heartbeats: heartbeatsSectionSchema.optional(), admins: adminsSectionSchema.optional()`. */
export const watcherSections = {
  heartbeats: heartbeatsSectionSchema.optional(),
  admins: adminsSectionSchema.optional(),
};

export type HeartbeatsSection = z.infer<typeof heartbeatsObject>;
export type DeclaredHeartbeat = z.infer<typeof declaredHeartbeatSchema>;

/** Defaults when the YAML file has no `heartbeats:` section. */
export function heartbeatsSectionDefaults(): HeartbeatsSection {
  return heartbeatsObject.parse({});
}
