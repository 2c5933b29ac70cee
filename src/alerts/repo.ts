/** The alerts, their timelines and the request statuses, as rows. Times are epoch ms; lists are JSON text. */
import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/knex';
import type { Alert, AlertEvent, AlertEventKind, AlertIdentifier, AlertInput, Priority, RequestOutcome } from './types';
import type { PlanStep } from './responders';

interface AlertRow {
  id: string;
  tiny_id: number;
  alias: string;
  open_alias: string | null;
  message: string;
  description: string;
  priority: string;
  status: string;
  acknowledged: boolean | number;
  owner: string;
  snoozed_until: number | string | null;
  count: number;
  tags: string;
  details: string;
  actions: string;
  responders: string;
  visible_to: string;
  entity: string;
  source: string;
  requested_by: string;
  integration_id: string | null;
  team: string | null;
  plan: string;
  next_step: number;
  next_step_at: number | string | null;
  acked_by: string | null;
  closed_by: string | null;
  acked_at: number | string | null;
  closed_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
  last_occurred_at: number | string;
}

const n = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    tinyId: r.tiny_id,
    alias: r.alias,
    message: r.message,
    description: r.description,
    priority: r.priority as Priority,
    status: r.status as Alert['status'],
    acknowledged: Boolean(r.acknowledged),
    owner: r.owner,
    snoozedUntil: n(r.snoozed_until),
    count: r.count,
    tags: JSON.parse(r.tags),
    details: JSON.parse(r.details),
    actions: JSON.parse(r.actions),
    responders: JSON.parse(r.responders),
    visibleTo: JSON.parse(r.visible_to),
    entity: r.entity,
    source: r.source,
    requestedBy: r.requested_by,
    integrationId: r.integration_id,
    team: r.team,
    plan: JSON.parse(r.plan) as PlanStep[],
    nextStep: r.next_step,
    nextStepAt: n(r.next_step_at),
    ackedBy: r.acked_by,
    closedBy: r.closed_by,
    ackedAt: n(r.acked_at),
    closedAt: n(r.closed_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastOccurredAt: Number(r.last_occurred_at),
  };
}

/** Columns an update may set, by Alert field. */
export type AlertChange = Partial<
  Pick<
    Alert,
    | 'status'
    | 'acknowledged'
    | 'owner'
    | 'snoozedUntil'
    | 'count'
    | 'nextStep'
    | 'nextStepAt'
    | 'ackedBy'
    | 'closedBy'
    | 'ackedAt'
    | 'closedAt'
    | 'lastOccurredAt'
    | 'message'
    | 'description'
    | 'priority'
  >
>;

const COLUMN: Record<keyof AlertChange, string> = {
  status: 'status',
  acknowledged: 'acknowledged',
  owner: 'owner',
  snoozedUntil: 'snoozed_until',
  count: 'count',
  nextStep: 'next_step',
  nextStepAt: 'next_step_at',
  ackedBy: 'acked_by',
  closedBy: 'closed_by',
  ackedAt: 'acked_at',
  closedAt: 'closed_at',
  lastOccurredAt: 'last_occurred_at',
  message: 'message',
  description: 'description',
  priority: 'priority',
};

/** A basic Opsgenie query, already parsed: every given term must hold. */
export interface AlertFilter {
  status?: 'open' | 'closed';
  acknowledged?: boolean;
  priority?: Priority;
  tag?: string;
  alias?: string;
  /** Free text: in the message, alias, entity or description. */
  text?: string;
}

export interface AlertPage {
  offset: number;
  limit: number;
  sort: 'createdAt' | 'updatedAt' | 'lastOccurredAt' | 'count' | 'priority' | 'tinyId';
  order: 'asc' | 'desc';
}

const SORT_COLUMN: Record<AlertPage['sort'], string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  lastOccurredAt: 'last_occurred_at',
  count: 'count',
  priority: 'priority',
  tinyId: 'tiny_id',
};

export interface NewAlert extends Required<Omit<AlertInput, 'note' | 'user'>> {
  requestedBy: string;
  integrationId: string | null;
  team: string | null;
  plan: PlanStep[];
  nextStepAt: number | null;
}

export class AlertsRepo {
  constructor(
    private readonly db: Db | Tx,
    private readonly now: () => number,
  ) {}

  async get(id: AlertIdentifier): Promise<Alert | null> {
    const q = this.db<AlertRow>('alerts');
    if (id.type === 'id') return this.one(q.where({ id: id.identifier }));
    if (id.type === 'tiny') {
      const tiny = Number(id.identifier);
      if (!Number.isSafeInteger(tiny)) return null;
      // Tiny ids roll over in Opsgenie: the newest alert holding it is the one meant.
      return this.one(q.where({ tiny_id: tiny }).orderBy('created_at', 'desc'));
    }
    // By alias: the open alert, else the newest closed one.
    return this.one(
      q.where({ alias: id.identifier }).orderByRaw('case when open_alias is null then 1 else 0 end').orderBy('created_at', 'desc'),
    );
  }

  async openByAlias(alias: string): Promise<Alert | null> {
    return this.one(this.db<AlertRow>('alerts').where({ open_alias: alias }));
  }

  async insert(a: NewAlert): Promise<Alert> {
    const t = this.now();
    const top = (await this.db('alerts').max({ m: 'tiny_id' }).first()) as { m: number | string | null } | undefined;
    const id = randomUUID();
    await this.db('alerts').insert({
      id,
      tiny_id: Number(top?.m ?? 0) + 1,
      alias: a.alias || id,
      open_alias: a.alias || id,
      message: a.message,
      description: a.description,
      priority: a.priority,
      status: 'open',
      acknowledged: false,
      owner: '',
      count: 1,
      tags: JSON.stringify(a.tags),
      details: JSON.stringify(a.details),
      actions: JSON.stringify(a.actions),
      responders: JSON.stringify(a.responders),
      visible_to: JSON.stringify(a.visibleTo),
      entity: a.entity,
      source: a.source,
      requested_by: a.requestedBy,
      integration_id: a.integrationId,
      team: a.team,
      plan: JSON.stringify(a.plan),
      next_step: 0,
      next_step_at: a.nextStepAt,
      created_at: t,
      updated_at: t,
      last_occurred_at: t,
    });
    return (await this.get({ identifier: id, type: 'id' }))!;
  }

  /**
   * Applies the change only while the row still matches `expect` (the step a runner claimed, the
   * alert still open): false when someone else changed it first.
   */
  async update(
    id: string,
    change: AlertChange,
    expect: { nextStep?: number; status?: Alert['status']; acknowledged?: boolean } = {},
  ): Promise<boolean> {
    const set: Record<string, unknown> = { updated_at: this.now() };
    for (const [k, v] of Object.entries(change)) set[COLUMN[k as keyof AlertChange]] = v;
    if (change.status === 'closed') set.open_alias = null;
    const where: Record<string, unknown> = { id };
    if (expect.nextStep !== undefined) where.next_step = expect.nextStep;
    if (expect.status !== undefined) where.status = expect.status;
    if (expect.acknowledged !== undefined) where.acknowledged = expect.acknowledged;
    return (await this.db('alerts').where(where).update(set)) > 0;
  }

  async list(f: AlertFilter, p: AlertPage): Promise<Alert[]> {
    const rows = (await this.filtered(f)
      .orderBy(SORT_COLUMN[p.sort], p.order)
      .orderBy('tiny_id', p.order)
      .offset(p.offset)
      .limit(p.limit)) as AlertRow[];
    return rows.map(toAlert);
  }

  async count(f: AlertFilter): Promise<number> {
    const r = (await this.filtered(f).count({ c: '*' }).first()) as { c: number | string } | undefined;
    return Number(r?.c ?? 0);
  }

  /** Open, unacknowledged alerts whose next step is due: the escalation runner's work. */
  async due(now: number, limit: number): Promise<Alert[]> {
    const rows = (await this.db<AlertRow>('alerts')
      .where({ status: 'open', acknowledged: false })
      .whereNotNull('next_step_at')
      .where('next_step_at', '<=', now)
      .orderBy('next_step_at')
      .limit(limit)) as AlertRow[];
    return rows.map(toAlert);
  }

  async nextDueAt(): Promise<number | null> {
    const r = (await this.db('alerts').where({ status: 'open', acknowledged: false }).min({ m: 'next_step_at' }).first()) as
      { m: number | string | null } | undefined;
    return r?.m === null || r?.m === undefined ? null : Number(r.m);
  }

  async addEvent(alertId: string, kind: AlertEventKind, actor: string, text: string, notificationId: number | null = null): Promise<void> {
    await this.db('alert_events').insert({
      alert_id: alertId,
      at: this.now(),
      kind,
      actor: actor.slice(0, 254),
      text: text.slice(0, 2000),
      notification_id: notificationId,
    });
  }

  async events(alertId: string): Promise<AlertEvent[]> {
    const rows = (await this.db('alert_events').where({ alert_id: alertId }).orderBy('id')) as {
      id: number;
      alert_id: string;
      at: number | string;
      kind: string;
      actor: string;
      text: string;
      notification_id: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      alertId: r.alert_id,
      at: Number(r.at),
      kind: r.kind as AlertEventKind,
      actor: r.actor,
      text: r.text,
      notificationId: r.notification_id,
    }));
  }

  async recordRequest(id: string, integrationId: string, o: RequestOutcome): Promise<void> {
    await this.db('alert_requests').insert({
      id,
      action: o.action,
      success: o.success,
      status: o.status.slice(0, 200),
      alert_id: o.alertId,
      alias: o.alias.slice(0, 512),
      integration_id: integrationId,
      processed_at: this.now(),
    });
  }

  async request(id: string): Promise<(RequestOutcome & { integrationId: string; processedAt: number }) | null> {
    const r = (await this.db('alert_requests').where({ id }).first()) as
      | {
          action: string;
          success: boolean | number;
          status: string;
          alert_id: string;
          alias: string;
          integration_id: string;
          processed_at: number | string;
        }
      | undefined;
    if (!r) return null;
    return {
      action: r.action,
      success: Boolean(r.success),
      status: r.status,
      alertId: r.alert_id,
      alias: r.alias,
      integrationId: r.integration_id,
      processedAt: Number(r.processed_at),
    };
  }

  private filtered(f: AlertFilter) {
    const q = this.db<AlertRow>('alerts');
    if (f.status) q.where({ status: f.status });
    if (f.acknowledged !== undefined) q.where({ acknowledged: f.acknowledged });
    if (f.priority) q.where({ priority: f.priority });
    if (f.alias) q.where({ alias: f.alias });
    // Tags are a JSON array of strings: the quoted tag is matched inside it.
    if (f.tag) q.whereRaw("tags like ? escape '!'", [`%${likeEscape(JSON.stringify(f.tag))}%`]);
    if (f.text) {
      const pat = `%${likeEscape(f.text.toLowerCase())}%`;
      q.where((w) =>
        w
          .whereRaw("lower(message) like ? escape '!'", [pat])
          .orWhereRaw("lower(alias) like ? escape '!'", [pat])
          .orWhereRaw("lower(entity) like ? escape '!'", [pat])
          .orWhereRaw("lower(description) like ? escape '!'", [pat]),
      );
    }
    return q;
  }

  private async one(q: PromiseLike<AlertRow[]> & { first(): unknown }): Promise<Alert | null> {
    const r = (await q.first()) as AlertRow | undefined;
    return r ? toAlert(r) : null;
  }
}

/** The text matched literally: LIKE's wildcards escaped with `!` (the ESCAPE both SQLite and PostgreSQL accept). */
function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}
