/**
 * Heartbeats and their history over the `heartbeats` / `heartbeat_events` tables.
 * Times are epoch milliseconds; `page` and `options` are JSON text (portable to PostgreSQL).
 */
import type { Db, Tx } from '../../db/knex';
import { AppError } from '../../core/errors';
import type { Heartbeat, HeartbeatEvent, HeartbeatInput, HeartbeatKind, HeartbeatPatch, HeartbeatState, OpsgenieFields } from './model';
import { validateHeartbeat } from './model';

interface Row {
  id: number;
  name: string;
  kind: string;
  period_s: number;
  grace_s: number;
  enabled: number | boolean;
  page: string;
  description: string | null;
  state: string;
  last_ping_at: number | string | null;
  state_changed_at: number | string;
  due_at: number | string | null;
  created_at: number | string;
  options: string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function fromRow(r: Row): Heartbeat {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as HeartbeatKind,
    periodS: r.period_s,
    graceS: r.grace_s,
    enabled: Boolean(r.enabled),
    page: JSON.parse(r.page) as string[],
    description: r.description,
    state: r.state as HeartbeatState,
    lastPingAt: num(r.last_ping_at),
    stateChangedAt: Number(r.state_changed_at),
    dueAt: num(r.due_at),
    createdAt: Number(r.created_at),
    options: r.options ? (JSON.parse(r.options) as OpsgenieFields) : {},
  };
}

/** The fields a transition changes; written together with its history rows. */
export interface HeartbeatProgress {
  state: HeartbeatState;
  lastPingAt: number | null;
  dueAt: number | null;
  stateChangedAt: number | null;
  enabled?: boolean;
}

/** The state fields a compare-and-set checks: together they change at every transition and every ping. */
export type HeartbeatSnapshot = Pick<Heartbeat, 'state' | 'stateChangedAt' | 'lastPingAt' | 'dueAt'>;

export class HeartbeatsRepo {
  constructor(private readonly db: Db) {}

  /** Runs fn with a repository bound to one transaction, which `tx` also lets others write in. */
  transaction<T>(fn: (repo: HeartbeatsRepo, tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new HeartbeatsRepo(tx), tx));
  }

  async get(name: string): Promise<Heartbeat | null> {
    const r = (await this.db('heartbeats').where({ name }).first()) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  async list(): Promise<Heartbeat[]> {
    const rows = (await this.db('heartbeats').orderBy('name')) as Row[];
    return rows.map(fromRow);
  }

  async insert(input: HeartbeatInput, now: number): Promise<Heartbeat> {
    validateHeartbeat(input);
    const enabled = input.enabled ?? true;
    try {
      await this.db('heartbeats').insert({
        name: input.name,
        kind: input.kind,
        period_s: input.periodS,
        grace_s: input.graceS,
        enabled,
        page: JSON.stringify(input.page ?? []),
        description: input.description ?? null,
        state: enabled ? 'new' : 'paused',
        last_ping_at: null,
        state_changed_at: now,
        due_at: null,
        created_at: now,
        options: JSON.stringify(input.options ?? {}),
      });
    } catch (e) {
      if (/unique|duplicate/i.test((e as Error).message))
        throw new AppError('conflict', `heartbeat "${input.name}" already exists`, { cause: e });
      throw e;
    }
    const hb = await this.get(input.name);
    if (!hb) throw new AppError('internal', `heartbeat "${input.name}" vanished after insert`);
    return hb;
  }

  /** Configuration fields only; state changes go through saveProgress. */
  async updateConfig(id: number, patch: HeartbeatPatch): Promise<void> {
    validateHeartbeat(patch);
    const row: Record<string, unknown> = {};
    if (patch.kind !== undefined) row.kind = patch.kind;
    if (patch.periodS !== undefined) row.period_s = patch.periodS;
    if (patch.graceS !== undefined) row.grace_s = patch.graceS;
    if (patch.page !== undefined) row.page = JSON.stringify(patch.page);
    if (patch.description !== undefined) row.description = patch.description;
    if (patch.options !== undefined) row.options = JSON.stringify(patch.options);
    if (Object.keys(row).length) await this.db('heartbeats').where({ id }).update(row);
  }

  /**
   * Writes a transition and its history rows. With `expected` (the row the transition was
   * computed from) the write is a compare-and-set: it applies only if the state fields are
   * still exactly those, so a ping on one instance and a timer on another cannot overwrite
   * each other's update. Returns false, writing nothing, when the row changed meanwhile (or
   * is gone); the caller re-reads and recomputes.
   */
  async saveProgress(id: number, p: HeartbeatProgress, records: HeartbeatEvent[], expected?: HeartbeatSnapshot): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row: Record<string, unknown> = { state: p.state, last_ping_at: p.lastPingAt, due_at: p.dueAt };
      if (p.stateChangedAt !== null) row.state_changed_at = p.stateChangedAt;
      if (p.enabled !== undefined) row.enabled = p.enabled;
      const q = tx('heartbeats').where({ id });
      if (expected) {
        q.andWhere({ state: expected.state, state_changed_at: expected.stateChangedAt });
        for (const [col, v] of [
          ['last_ping_at', expected.lastPingAt],
          ['due_at', expected.dueAt],
        ] as const) {
          if (v === null) q.whereNull(col);
          else q.andWhere(col, v);
        }
      }
      const n = await q.update(row);
      if (n === 0) return false;
      if (records.length)
        await tx('heartbeat_events').insert(
          records.map((r) => ({ heartbeat_id: id, at: r.at, event: r.event, detail: r.detail?.slice(0, 500) ?? null })),
        );
      return true;
    });
  }

  async addEvent(id: number, record: HeartbeatEvent): Promise<void> {
    await this.db('heartbeat_events').insert({
      heartbeat_id: id,
      at: record.at,
      event: record.event,
      detail: record.detail?.slice(0, 500) ?? null,
    });
  }

  async delete(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx('heartbeat_events').where({ heartbeat_id: id }).delete();
      await tx('heartbeats').where({ id }).delete();
    });
  }

  /** Newest first. */
  async events(id: number, limit = 50): Promise<HeartbeatEvent[]> {
    const rows = (await this.db('heartbeat_events')
      .where({ heartbeat_id: id })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)) as { at: number | string; event: string; detail: string | null }[];
    return rows.map((r) => ({ at: Number(r.at), event: r.event as HeartbeatEvent['event'], detail: r.detail }));
  }
}
