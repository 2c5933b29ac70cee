/** /api/admin/notifications and /api/admin/heartbeats: what happened to each page, newest first. */
import { Router, RouterT } from '../http/express';
import type { NotificationsRepo, Notification, Attempt, NotificationKind, NotificationState } from '../db/notifications-repo';
import { NOTIFICATION_KINDS } from '../db/notifications-repo';
import type { Db } from '../db/knex';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function notificationView(n: Notification, attempts: Attempt[]): Record<string, unknown> {
  return {
    id: n.id,
    kind: n.kind,
    source: n.source,
    email: n.email,
    message: n.message,
    received_at: iso(n.receivedAt),
    state: n.state,
    outcome: n.outcome,
    reason: n.reason,
    alert_group_id: n.alertGroupId,
    correlation: n.correlation,
    next_attempt_at: n.state === 'pending' ? iso(n.nextAttemptAt) : null,
    finished_at: iso(n.finishedAt),
    attempts: attempts.map((a) => ({
      channel: a.channel,
      call_id: a.callId,
      started_at: iso(a.startedAt),
      ringing_at: iso(a.ringingAt),
      answered_at: iso(a.answeredAt),
      ended_at: iso(a.endedAt),
      outcome: a.outcome,
      cause: a.cause,
      digits: a.digits,
      action: a.action,
      result: a.result,
    })),
  };
}

const STATES: NotificationState[] = ['pending', 'active', 'delivered', 'failed', 'cancelled'];

export function adminNotificationsRouter(deps: { notifications: NotificationsRepo; db: Db }): RouterT {
  const r = Router({ strict: false });
  r.get('/notifications', async (req, res) => {
    const limitRaw = typeof req.query.limit === 'string' ? req.query.limit : '50';
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) {
      res.status(400).json({ error: 'invalid', detail: 'limit must be a whole number from 1 to 1000' });
      return;
    }
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
    if (state !== undefined && !STATES.includes(state as NotificationState)) {
      res.status(400).json({ error: 'invalid', detail: `state must be one of ${STATES.join(', ')}` });
      return;
    }
    if (kind !== undefined && !NOTIFICATION_KINDS.includes(kind as NotificationKind)) {
      res.status(400).json({ error: 'invalid', detail: `kind must be one of ${NOTIFICATION_KINDS.join(', ')}` });
      return;
    }
    const list = await deps.notifications.listRecent(Number(limitRaw), {
      state: state as NotificationState | undefined,
      kind: kind as NotificationKind | undefined,
    });
    const attempts = await deps.notifications.attemptsFor(list.map((n) => n.id));
    res.json({ count: list.length, results: list.map((n) => notificationView(n, attempts.get(n.id) ?? [])) });
  });

  r.get('/heartbeats', async (_req, res) => {
    const rows = (await deps.db('heartbeats').orderBy('name')) as Record<string, unknown>[];
    res.json({
      count: rows.length,
      results: rows.map((h) => ({
        name: h.name,
        kind: h.kind,
        period_s: h.period_s,
        grace_s: h.grace_s,
        enabled: Boolean(h.enabled),
        state: h.state,
        last_ping_at: iso(h.last_ping_at === null ? null : Number(h.last_ping_at)),
        state_changed_at: iso(Number(h.state_changed_at)),
        page: JSON.parse(String(h.page)),
      })),
    });
  });
  return r;
}
