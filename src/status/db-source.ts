/** StatusSource over the database tables: notifications, attempts, heartbeats and users. */
import type { Db } from '../db/knex';
import { maskEmail } from '../core/mask';
import { allWindows, WINDOWS, type DeliveryRepo, type Figures } from '../delivery';
import type { ActivePage, HealthRow, HeartbeatRow, RecentAttempt, StatusSource } from './types';

export interface DbStatusSourceDeps {
  db: Db;
  /** Channel health, filled in by the composition root from the self-checks (ARI, senders, OnCall, TTS). */
  health?: () => Promise<HealthRow[]>;
  /** The pages behind the delivery figures; without it the status page shows none. */
  delivery?: Pick<DeliveryRepo, 'pages'>;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const who = (name: unknown, email: unknown): string => (typeof name === 'string' && name !== '' ? name : maskEmail(String(email ?? '')));

export class DbStatusSource implements StatusSource {
  constructor(private readonly deps: DbStatusSourceDeps) {}

  async delivery(now: number): Promise<Figures[]> {
    if (!this.deps.delivery) return [];
    return allWindows(await this.deps.delivery.pages(now - WINDOWS['30d'], now), now);
  }

  async activePages(limit: number): Promise<ActivePage[]> {
    const rows = (await this.deps
      .db('notifications as n')
      .leftJoin('users as u', 'u.id', 'n.user_id')
      .whereIn('n.state', ['pending', 'active'])
      .orderBy('n.received_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(limit)
      .select(
        'n.id',
        'n.kind',
        'n.state',
        'n.email',
        'n.message',
        'n.alert_group_id',
        'n.received_at',
        'n.attempts',
        'n.next_attempt_at',
        'u.name',
        'u.phone',
      )) as Record<string, unknown>[];
    const last = await this.lastOutcomes(rows.map((r) => Number(r.id)));
    return rows.map((r) => ({
      id: Number(r.id),
      kind: String(r.kind),
      state: String(r.state),
      who: who(r.name, r.email),
      phone: (r.phone as string | null) ?? null,
      message: String(r.message),
      alertGroupId: (r.alert_group_id as string | null) ?? null,
      receivedAt: Number(r.received_at),
      attempts: Number(r.attempts),
      nextAttemptAt: r.state === 'pending' ? num(r.next_attempt_at) : null,
      lastOutcome: last.get(Number(r.id)) ?? null,
    }));
  }

  async recentAttempts(limit: number): Promise<RecentAttempt[]> {
    const rows = (await this.deps
      .db('attempts as a')
      .join('notifications as n', 'n.id', 'a.notification_id')
      .leftJoin('users as u', 'u.id', 'n.user_id')
      .orderBy('a.started_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .select(
        'a.notification_id',
        'a.channel',
        'a.started_at',
        'a.answered_at',
        'a.ended_at',
        'a.outcome',
        'a.cause',
        'a.digits',
        'a.action',
        'a.result',
        'n.email',
        'u.name',
        'u.phone',
      )) as Record<string, unknown>[];
    return rows.map((r) => ({
      notificationId: Number(r.notification_id),
      channel: String(r.channel),
      who: who(r.name, r.email),
      phone: (r.phone as string | null) ?? null,
      startedAt: Number(r.started_at),
      answeredAt: num(r.answered_at),
      endedAt: num(r.ended_at),
      outcome: (r.outcome as string | null) ?? null,
      cause: (r.cause as string | null) ?? null,
      digits: (r.digits as string | null) ?? null,
      action: (r.action as string | null) ?? null,
      result: (r.result as string | null) ?? null,
    }));
  }

  async heartbeats(): Promise<HeartbeatRow[]> {
    const rows = (await this.deps.db('heartbeats').orderBy('name')) as Record<string, unknown>[];
    return rows.map((h) => ({
      name: String(h.name),
      kind: String(h.kind),
      state: String(h.state),
      lastPingAt: num(h.last_ping_at),
      periodS: Number(h.period_s),
      graceS: Number(h.grace_s),
      enabled: Boolean(h.enabled),
    }));
  }

  async health(): Promise<HealthRow[]> {
    return this.deps.health ? this.deps.health() : [];
  }

  async queueDepth(): Promise<Record<string, number>> {
    const rows = (await this.deps
      .db('notifications')
      .select('state')
      .count<{ state: string; n: number | string }[]>({ n: '*' })
      .groupBy('state')) as { state: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** The outcome of each notification's latest attempt, in one query. */
  private async lastOutcomes(ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const rows = (await this.deps
      .db('attempts')
      .whereIn('notification_id', ids)
      .whereNotNull('outcome')
      .orderBy('id')
      .select('notification_id', 'outcome')) as { notification_id: number; outcome: string }[];
    for (const r of rows) out.set(Number(r.notification_id), r.outcome);
    return out;
  }
}
