/**
 * The `retention:` section of the YAML config file (docs/operations.md, "Retention").
 * Absent means the defaults; every `*_days` key takes 0 for "keep for ever".
 */
import { z } from '../core/validate';

/** Whole days, 0 = never delete. The messages name no key: zod prefixes the path (retention.<key>). */
const days = (fallback: number) =>
  z
    .number({ error: 'must be a whole number of days (0 keeps for ever)' })
    .int('must be a whole number of days (0 keeps for ever)')
    .min(0, 'must not be negative (0 keeps for ever)')
    .max(36_500, 'must be at most 36500 days (use 0 to keep for ever)')
    .default(fallback);

export const retentionSectionSchema = z
  .object({
    /** Hotline voicemails (the recordings and their links). */
    hotline_voicemail_days: days(30),
    /** Delivered, failed and cancelled notifications with their call/SMS attempts. Pending and in-flight ones are never deleted. */
    notifications_days: days(90),
    /** Heartbeat history (pings, failures, state changes); the heartbeats themselves stay. */
    heartbeat_events_days: days(90),
    /** Shift notices already sent (only needed while their shift is current). */
    shift_notices_days: days(90),
    /** Phone verification codes, counted from the code's expiry (10 minutes after it was sent). */
    phone_verifications_days: days(7),
    /** The audit log (who changed people, heartbeats and settings from the console, the admin API or the CLI). */
    audit_log_days: days(365),
    /** Opsgenie request statuses (`GET /v2/alerts/requests/{id}`): senders poll them within seconds of the request. */
    alert_requests_days: days(7),
    /** Alerts closed longer ago, with their timelines. Open alerts and their timelines are never deleted, however old. */
    closed_alerts_days: days(90),
    /** Minutes between sweeps. */
    sweep_every_minutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1')
      .max(1440, 'must be at most 1440 (a day)')
      .default(60),
  })
  .strict();

export type RetentionSection = z.infer<typeof retentionSectionSchema>;

export function retentionSectionDefaults(): RetentionSection {
  return retentionSectionSchema.parse({});
}
