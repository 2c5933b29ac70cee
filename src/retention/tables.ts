/**
 * What the retention sweep may delete, table by table, one bounded batch per call.
 *
 * A batch is `delete from t where id in (select id from t where <old> limit n)`: the same
 * statement on SQLite and PostgreSQL, and short enough that a big table is never locked for
 * long (on SQLite the one connection is free again for the engines between two batches).
 * Times are epoch milliseconds, as everywhere in the schema (src/db/migrations.ts).
 */
import type { Db } from '../db/knex';

/** The tables (and the notifications' children) the sweep reports on. */
export const RETENTION_TABLES = [
  'hotline_messages',
  'notifications',
  'attempts',
  'heartbeat_events',
  'shift_notices',
  'phone_verifications',
  'audit_log',
  'alert_requests',
  'alerts',
  'alert_events',
] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];
export type RetentionCounts = Record<RetentionTable, number>;

/**
 * Final states only (src/db/notifications-repo.ts `finish()`): `pending` rows wait for their
 * turn and `active` ones are held under a lease by an engine right now.
 */
export const FINAL_NOTIFICATION_STATES = ['delivered', 'failed', 'cancelled'] as const;

type Query = ReturnType<Db['queryBuilder']>;

export interface BatchOptions {
  /** Rows per statement. */
  limit: number;
  /** Longest one statement may run before the batch is given up (the next sweep tries again). */
  timeoutMs: number;
}

/** Deletes at most `limit` rows of `table` matched by `old`; returns how many went. */
async function deleteBatch(db: Db, table: string, old: (q: Query) => Query, o: BatchOptions): Promise<number> {
  const ids = old(db(table).select('id')).limit(o.limit);
  return Number(await db(table).whereIn('id', ids).delete().timeout(o.timeoutMs));
}

/** One table's batch step: deletes rows older than `cutoff`, returns the counts it touched. */
export type BatchStep = (db: Db, cutoff: number, o: BatchOptions) => Promise<Partial<RetentionCounts>>;

export interface TableRule {
  /** The table whose size decides when the batches stop (a short batch means nothing is left). */
  table: RetentionTable;
  step: BatchStep;
}

/** Voicemails by recording time (indexed: hotline_messages_recorded). */
const voicemails: TableRule = {
  table: 'hotline_messages',
  step: async (db, cutoff, o) => ({
    hotline_messages: await deleteBatch(db, 'hotline_messages', (q) => q.where('recorded_at', '<', cutoff), o),
  }),
};

/**
 * Finished notifications received and finished before the cut-off, attempts first. The
 * migration does declare ON DELETE CASCADE, but deleting the children ourselves does not
 * depend on SQLite's per-connection `foreign_keys` pragma and lets the sweep count them.
 */
const notifications: TableRule = {
  table: 'notifications',
  step: (db, cutoff, o) =>
    db.transaction(async (tx) => {
      const final = [...FINAL_NOTIFICATION_STATES];
      const ids = (
        (await tx('notifications')
          .whereIn('state', final)
          .andWhere('received_at', '<', cutoff)
          .andWhere((b) => b.whereNull('finished_at').orWhere('finished_at', '<', cutoff))
          .limit(o.limit)
          .pluck('id')
          .timeout(o.timeoutMs)) as (number | string)[]
      ).map(Number);
      if (ids.length === 0) return { notifications: 0, attempts: 0 };
      const attempts = Number(await tx('attempts').whereIn('notification_id', ids).delete().timeout(o.timeoutMs));
      // The state is checked again: final states are terminal today, and a row is never deleted under an engine.
      const n = Number(await tx('notifications').whereIn('id', ids).whereIn('state', final).delete().timeout(o.timeoutMs));
      return { notifications: n, attempts };
    }),
};

/** Heartbeat history; the heartbeats' own state lives in `heartbeats` and is untouched. */
const heartbeatEvents: TableRule = {
  table: 'heartbeat_events',
  step: async (db, cutoff, o) => ({ heartbeat_events: await deleteBatch(db, 'heartbeat_events', (q) => q.where('at', '<', cutoff), o) }),
};

/** Sent shift notices by send time (indexed: shift_notices_sent_at); their shifts are long over. */
const shiftNotices: TableRule = {
  table: 'shift_notices',
  step: async (db, cutoff, o) => ({ shift_notices: await deleteBatch(db, 'shift_notices', (q) => q.where('sent_at', '<', cutoff), o) }),
};

/**
 * Verification codes whose code (and signed link, which carries the same expiry) ran out
 * before the cut-off. A person's next code simply inserts a new row.
 */
const phoneVerifications: TableRule = {
  table: 'phone_verifications',
  step: async (db, cutoff, o) => ({
    phone_verifications: await deleteBatch(db, 'phone_verifications', (q) => q.where('expires_at', '<', cutoff), o),
  }),
};

/** Audit entries by when the change was made (indexed: audit_log_at). */
const auditLog: TableRule = {
  table: 'audit_log',
  step: async (db, cutoff, o) => ({ audit_log: await deleteBatch(db, 'audit_log', (q) => q.where('at', '<', cutoff), o) }),
};

/** Request statuses by when the request was answered (indexed: alert_requests_age). */
const alertRequests: TableRule = {
  table: 'alert_requests',
  step: async (db, cutoff, o) => ({
    alert_requests: await deleteBatch(db, 'alert_requests', (q) => q.where('processed_at', '<', cutoff), o),
  }),
};

/**
 * Alerts closed before the cut-off, their timelines first (for the same reasons as the
 * notifications' attempts). Closing is final (a new create with the alias makes a new alert), so
 * an open alert, however old, keeps every event of its timeline: it is still being worked on.
 */
const closedAlerts: TableRule = {
  table: 'alerts',
  step: (db, cutoff, o) =>
    db.transaction(async (tx) => {
      const ids = (await tx('alerts')
        .where({ status: 'closed' })
        .andWhere('closed_at', '<', cutoff)
        .limit(o.limit)
        .pluck('id')
        .timeout(o.timeoutMs)) as string[];
      if (ids.length === 0) return { alerts: 0, alert_events: 0 };
      const events = Number(await tx('alert_events').whereIn('alert_id', ids).delete().timeout(o.timeoutMs));
      const n = Number(await tx('alerts').whereIn('id', ids).where({ status: 'closed' }).delete().timeout(o.timeoutMs));
      return { alerts: n, alert_events: events };
    }),
};

export const TABLE_RULES = {
  voicemails,
  notifications,
  heartbeatEvents,
  shiftNotices,
  phoneVerifications,
  auditLog,
  alertRequests,
  closedAlerts,
} as const;

export function zeroCounts(): RetentionCounts {
  return Object.fromEntries(RETENTION_TABLES.map((t) => [t, 0])) as RetentionCounts;
}
