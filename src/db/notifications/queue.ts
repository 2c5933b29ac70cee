/**
 * The notifications table is the durable queue. A row is inserted in a committed
 * transaction before OnCall gets its 200; engines claim rows with a lease and finish every
 * row as delivered or failed with a reason. A lease that expires (its instance died) makes
 * the row claimable again.
 */
import type { Db, Tx } from '../knex';
import { GroupCommit } from '../group-commit';
import { isPostgres } from '../knex';
import { bundleRows, TOGETHER_MS } from './bundles';
import {
  toNotification,
  type Correlation,
  type EnqueueGuard,
  type EnqueueInput,
  type Notification,
  type NotificationKind,
  type Row,
} from './types';

const INSERT_CHUNK = 500;

export interface ClaimOptions {
  owner: string;
  kinds: readonly NotificationKind[];
  leaseMs: number;
  limit: number;
  /** Only rows of this user (bundling: claim everything pending for the person being called). */
  userId?: number;
  /** Only pages never tried and not leased (pages joining a call about to start: no attempt to close, no history). */
  newOnly?: boolean;
  /** People this instance is already busy with: their rows wait instead of being claimed and released again. */
  excludeUserIds?: readonly number[];
  /** Only rows due (or orphaned) at or before this time, not now: pages that have waited long enough (telephony down). */
  dueBefore?: number;
}

export interface ClaimPeopleOptions {
  owner: string;
  kinds: readonly NotificationKind[];
  leaseMs: number;
  /** How many people's pages to claim (a page without a person counts as one). */
  people: number;
  /** At most this many pages of one person (one call reads them all). */
  perPerson: number;
  /** People this instance is already on the phone with. */
  excludeUserIds?: readonly number[];
  dueBefore?: number;
}

export interface ClaimedPeople {
  rows: Notification[];
  /** Pages whose previous call was cut off by a dead instance (its attempt was closed as interrupted). */
  interrupted: Set<number>;
}

/** A page never tried and received this recently is a fresh incident: it goes before any backlog. */
export const FRESH_MS = 5 * 60_000;

/**
 * Claim order. After an outage the queue holds a backlog; dispatching it oldest first would
 * make the incident that is happening now wait behind all of it. So pages never tried and
 * received within FRESH_MS go first, newest first; everything else (retries, older backlog)
 * follows by due time. Nothing starves: a page stays fresh only FRESH_MS, so only pages that
 * arrived in the last five minutes can ever go before an old one.
 */
function freshFirst<Q extends ReturnType<Tx>>(q: Q, now: number): Q {
  const fresh = 'notifications.attempts = 0 and notifications.received_at >= ?';
  return q
    .orderByRaw(`case when ${fresh} then 0 else 1 end`, [now - FRESH_MS])
    .orderByRaw(`case when ${fresh} then notifications.received_at else 0 end desc`, [now - FRESH_MS])
    .orderBy('next_attempt_at')
    .orderBy('id') as Q;
}

/**
 * A burst's rows in claim order: people (and orphan pages) as they came in the window, each
 * person's lead page first and the rest of their bundle in arrival order (`rows` is sorted so),
 * at most `perPerson` of them: the same call a claim of the lead followed by a claim of the
 * person's other pages makes.
 */
function inLine(rows: Row[], window: { id: number; user_id: number | null }[], lead: Map<number, number>, perPerson: number): Row[] {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r.user_id === null ? `page:${r.id}` : `user:${r.user_id}`;
    const list = byKey.get(key) ?? [];
    if (r.user_id !== null && lead.get(r.user_id) === r.id) list.unshift(r);
    else list.push(r);
    byKey.set(key, list);
  }
  const out: Row[] = [];
  const seen = new Set<string>();
  for (const w of window) {
    const key = w.user_id === null ? `page:${w.id}` : `user:${w.user_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...arrivedTogetherFirst(byKey.get(key) ?? []).slice(0, perPerson));
  }
  return out;
}

/**
 * The lead is the newest fresh page; pages that came with it (a few make_calls in the same
 * second) are read in the order they came, not newest first: "First: disk full, second: high
 * CPU" as OnCall sent them.
 */
function arrivedTogetherFirst(list: Row[]): Row[] {
  const [lead, ...rest] = list;
  if (!lead || Number(lead.attempts) !== 0) return list;
  const came = Number(lead.received_at);
  const before = rest.filter((r) => Number(r.attempts) === 0 && r.id < lead.id && Number(r.received_at) >= came - TOGETHER_MS);
  return before.length ? [...before, lead, ...rest.filter((r) => !before.includes(r))] : list;
}

interface CorrelationWrite {
  id: number;
  alertGroupId: string | null;
  correlation: Correlation;
}

export class NotificationQueue {
  /** A burst's pages are prepared together: their correlations are written in one commit, not one each. */
  private readonly correlations: GroupCommit<CorrelationWrite, void>;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.correlations = new GroupCommit<CorrelationWrite, void>((items) =>
      this.db.transaction(async (tx) => {
        const t = this.now();
        for (const c of items)
          await tx('notifications')
            .where({ id: c.id })
            .update({ alert_group_id: c.alertGroupId, correlation: c.correlation, updated_at: t });
        return items.map(() => undefined);
      }),
    );
  }

  /** Inserts one pending row in its own committed transaction. Returns the row (existing one on a dedupe hit). */
  async enqueue(input: EnqueueInput, guard?: EnqueueGuard): Promise<{ notification: Notification; created: boolean }> {
    return this.db.transaction(async (tx) => {
      if (input.dedupeKey) {
        const existing = (await tx('notifications').where({ dedupe_key: input.dedupeKey }).first()) as Row | undefined;
        if (existing) return { notification: toNotification(existing), created: false };
      }
      if (guard) await guard(tx);
      return { notification: await this.insertIn(tx, input), created: true };
    });
  }

  /** Inserts a pending row inside the caller's transaction (group commit) and returns it without re-reading. */
  async insertIn(tx: Tx, input: EnqueueInput): Promise<Notification> {
    return (await this.insertManyIn(tx, [input]))[0];
  }

  /**
   * Inserts pending rows with one statement per chunk (a group commit's batch is one round trip
   * to the database, not one per page) and returns them in input order without re-reading.
   * RETURNING's row order is not promised, but ids are handed out in VALUES order on SQLite
   * (rowids increase as rows are inserted) and on PostgreSQL (nextval per row, in order), so
   * the sorted ids line up with the inputs.
   */
  async insertManyIn(tx: Tx, inputs: EnqueueInput[]): Promise<Notification[]> {
    const t = this.now();
    const rows = inputs.map((input) => ({
      kind: input.kind,
      source: input.source,
      user_id: input.userId,
      email: input.email,
      message: input.message,
      payload: input.payload === undefined ? null : JSON.stringify(input.payload),
      alert_group_id: input.alertGroupId ?? null,
      correlation: input.correlation ?? null,
      dedupe_key: input.dedupeKey ?? null,
      received_at: t,
      state: 'pending',
      attempts: 0,
      next_attempt_at: t,
      updated_at: t,
    }));
    const out: Notification[] = [];
    // 14 columns × 500 rows stays under SQLite's 32766 bound variables.
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const returned = (await tx('notifications').insert(chunk).returning('id')) as ({ id: number } | number)[];
      const ids = returned.map((r) => Number(typeof r === 'object' ? r.id : r)).sort((a, b) => a - b);
      if (ids.length !== chunk.length) throw new Error(`inserted ${ids.length} of ${chunk.length} pages`);
      chunk.forEach((row, k) =>
        out.push(
          toNotification({ ...row, id: ids[k], lease_owner: null, lease_expires_at: null, outcome: null, reason: null, finished_at: null }),
        ),
      );
    }
    return out;
  }

  /** Per (user, kind) counts since a time (of these sources only, when given), for the daily limit of a whole batch in one query. */
  async countsSince(tx: Tx | Db, userIds: number[], since: number, sources?: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (userIds.length === 0) return out;
    let q = tx('notifications').whereIn('user_id', userIds).andWhere('received_at', '>=', since);
    if (sources) q = q.whereIn('source', [...sources]);
    const rows = (await q
      .select('user_id', 'kind')
      .count<{ user_id: number; kind: string; n: number | string }[]>({ n: '*' })
      .groupBy('user_id', 'kind')) as { user_id: number; kind: string; n: number | string }[];
    for (const r of rows) out.set(`${r.user_id}:${r.kind}`, Number(r.n));
    return out;
  }

  /** Count of a user's notifications of a kind since `since` (daily limit), inside a transaction. */
  async countSince(tx: Tx | Db, userId: number, kind: NotificationKind, since: number): Promise<number> {
    const r = await tx('notifications')
      .where({ user_id: userId, kind })
      .andWhere('received_at', '>=', since)
      .count<{ n: number | string }[]>({ n: '*' });
    return Number(r[0]?.n ?? 0);
  }

  async findByDedupeKey(key: string): Promise<Notification | null> {
    const r = (await this.db('notifications').where({ dedupe_key: key }).first()) as Row | undefined;
    return r ? toNotification(r) : null;
  }

  /** Rows whose dedupe key starts with `prefix` (case-sensitive): the other pages of one direct-paging event. */
  async findByDedupePrefix(prefix: string, limit = 500): Promise<Notification[]> {
    const pattern = prefix.replace(/[!%_]/g, (c) => `!${c}`) + '%';
    const rows = (await this.db('notifications').whereRaw("dedupe_key like ? escape '!'", [pattern]).orderBy('id').limit(limit)) as Row[];
    // SQLite's LIKE ignores ASCII case: keep only the exact prefix.
    return rows.filter((r) => r.dedupe_key?.startsWith(prefix)).map(toNotification);
  }

  /** Cancels a page nobody is working on yet; false when it was claimed or finished meanwhile. */
  async cancelPending(id: number, outcome: string, reason: string): Promise<boolean> {
    const t = this.now();
    const n = await this.db('notifications')
      .where({ id, state: 'pending' })
      .update({ state: 'cancelled', outcome, reason, finished_at: t, updated_at: t });
    return n > 0;
  }

  async get(id: number): Promise<Notification | null> {
    const r = (await this.db('notifications').where({ id }).first()) as Row | undefined;
    return r ? toNotification(r) : null;
  }

  /**
   * Claims due rows: pending ones whose next attempt time has come, and active ones whose
   * lease expired (their instance died). One short transaction; on PostgreSQL the rows are
   * locked with FOR UPDATE SKIP LOCKED so instances never claim the same row.
   *
   * A person someone else holds a live lease for (of these kinds) is skipped: two instances
   * must not ring one phone at once. On PostgreSQL the claimers of one person take turns on
   * that person's users row (FOR UPDATE SKIP LOCKED) and re-check after taking it, which
   * closes the window between two claims that both saw the person free.
   */
  async claim(opts: ClaimOptions): Promise<Notification[]> {
    const pg = isPostgres(this.db);
    const kinds = opts.kinds as NotificationKind[];
    return this.db.transaction(async (tx) => {
      // "Due" is now, once the connection is ours: pages committed while this claim waited for
      // it (the rest of a burst, written by the intake just before) are due and join this claim.
      const t = this.now();
      const due = Math.min(t, opts.dueBefore ?? t);
      let q = this.dueIn(tx, kinds, opts.owner, t, due);
      if (opts.userId !== undefined) q = q.andWhere('user_id', opts.userId);
      if (opts.newOnly) q = q.andWhere('state', 'pending').andWhere('attempts', 0);
      if (opts.excludeUserIds?.length) {
        const busy = [...opts.excludeUserIds];
        q = q.andWhere((b) => b.whereNull('user_id').orWhereNotIn('user_id', busy));
      }
      // One person's pages (a bundle) keep arrival order: it is the order they are read out.
      q = opts.userId === undefined ? freshFirst(q, t) : q.orderBy('next_attempt_at').orderBy('id');
      q = q.limit(opts.limit).select('*');
      if (pg) q = q.forUpdate().skipLocked();
      let rows = (await q) as Row[];
      if (rows.length === 0) return [];
      if (pg) rows = await this.onlyFreePeople(tx, rows, kinds, opts.owner, t);
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      await tx('notifications')
        .whereIn('id', ids)
        .update({ state: 'active', lease_owner: opts.owner, lease_expires_at: t + opts.leaseMs, updated_at: t });
      return rows.map((r) => toNotification({ ...r, state: 'active', lease_owner: opts.owner, lease_expires_at: t + opts.leaseMs }));
    });
  }

  /**
   * A burst's claim: the due pages of up to `people` people (in the queue's order), at most
   * `perPerson` each, leased in one transaction, which also closes the attempts a dead instance
   * left open on them. One commit for the whole burst instead of two or three per person; the
   * person-level guards (live leases elsewhere, PostgreSQL's lock on the person) are claim's.
   */
  async claimPeople(opts: ClaimPeopleOptions): Promise<ClaimedPeople> {
    const pg = isPostgres(this.db);
    const kinds = opts.kinds as NotificationKind[];
    return this.db.transaction(async (tx) => {
      // "Due" is now, once the connection is ours: pages committed while this claim waited for
      // it (the rest of a burst, written by the intake just before) are due and join this claim.
      const t = this.now();
      const dueRows = () => this.claimable(tx, opts, t);
      // Who comes first: a window wide enough for `people` people even if each has a full bundle.
      // On SQLite it reads whole rows: when it holds every due row (a burst of single pages
      // always fits), the bundles come from it and the claim asks the database one question less.
      const size = opts.people * opts.perPerson;
      const window = (await freshFirst(dueRows(), t)
        .limit(size)
        .select(...(pg ? ['id', 'user_id'] : ['*']))) as Row[];
      // Each person's lead: the page that put them in line, read first (the freshest incident).
      const lead = new Map<number, number>();
      const orphans: number[] = [];
      for (const r of window) {
        if (lead.size + orphans.length >= opts.people) break;
        if (r.user_id === null) orphans.push(r.id);
        else if (!lead.has(r.user_id)) lead.set(r.user_id, r.id);
      }
      if (lead.size + orphans.length === 0) return { rows: [], interrupted: new Set<number>() };
      const chosen = (r: { id: number; user_id: number | null }) => (r.user_id === null ? orphans.includes(r.id) : lead.has(r.user_id));
      let bundles: Row[];
      if (!pg && window.length < size) {
        bundles = window.filter(chosen).sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || a.id - b.id);
      } else {
        // PostgreSQL locks the rows it claims, so that two instances never claim the same page.
        bundles = await bundleRows(tx, dueRows, lead, orphans, opts.perPerson, pg);
      }
      let rows = inLine(bundles, window, lead, opts.perPerson);
      if (pg) rows = await this.onlyFreePeople(tx, rows, kinds, opts.owner, t);
      if (rows.length === 0) return { rows: [], interrupted: new Set<number>() };
      const ids = rows.map((r) => r.id);
      await tx('notifications')
        .whereIn('id', ids)
        .update({ state: 'active', lease_owner: opts.owner, lease_expires_at: t + opts.leaseMs, updated_at: t });
      const open = (await tx('attempts').whereIn('notification_id', ids).whereNull('ended_at').select('notification_id')) as {
        notification_id: number;
      }[];
      if (open.length)
        await tx('attempts')
          .whereIn('notification_id', ids)
          .whereNull('ended_at')
          .update({ ended_at: t, outcome: 'interrupted', result: 'dozvon restarted during the call' });
      return {
        rows: rows.map((r) => toNotification({ ...r, state: 'active', lease_owner: opts.owner, lease_expires_at: t + opts.leaseMs })),
        interrupted: new Set(open.map((o) => o.notification_id)),
      };
    });
  }

  /**
   * Whether claimPeople would find anything now, asked without a transaction: on SQLite from a
   * reader beside the writer. A claim that finds nothing still holds the only writer for its
   * transaction, and during a burst the next claim's or the attempts' write waits behind it.
   */
  async anyClaimable(opts: Pick<ClaimPeopleOptions, 'owner' | 'kinds' | 'excludeUserIds' | 'dueBefore'>): Promise<boolean> {
    const row = (await this.claimable(this.db, opts, this.now()).first('id')) as { id: number } | undefined;
    return row !== undefined;
  }

  /** What a claim of these kinds may take at `t`: due, of a person this instance is not calling and nobody else is paging. */
  private claimable(tx: Tx | Db, opts: Pick<ClaimPeopleOptions, 'owner' | 'kinds' | 'excludeUserIds' | 'dueBefore'>, t: number) {
    const due = Math.min(t, opts.dueBefore ?? t);
    let q = this.dueIn(tx, opts.kinds as NotificationKind[], opts.owner, t, due);
    if (opts.excludeUserIds?.length) {
      const busy = [...opts.excludeUserIds];
      q = q.andWhere((b) => b.whereNull('user_id').orWhereNotIn('user_id', busy));
    }
    return q;
  }

  /** Pending rows that are due and active rows whose lease expired, of people nobody else is paging. */
  private dueIn(tx: Tx | Db, kinds: NotificationKind[], owner: string, t: number, due: number): ReturnType<Tx> {
    return tx('notifications')
      .whereIn('kind', kinds)
      .andWhere((b) => {
        b.where((p) => p.where('state', 'pending').andWhere('next_attempt_at', '<=', due)).orWhere((a) =>
          a.where('state', 'active').andWhere('lease_expires_at', '<', due),
        );
      })
      .andWhere((b) =>
        // The busy people are found once, not once per row. As a correlated NOT EXISTS the check
        // read every page of the person for each of their pages: with a backlog of 23 562 pages
        // for one person, each of a claim's two queries took 130 s (now 45 and 620 ms).
        b
          .whereNull('notifications.user_id')
          .orWhereNotIn('notifications.user_id', this.busyWith(tx('notifications as busy'), kinds, owner, t).whereNotNull('busy.user_id')),
      );
  }

  /** The people of rows of these kinds leased by someone else and still live. */
  private busyWith(b: ReturnType<Tx>, kinds: NotificationKind[], owner: string, t: number): ReturnType<Tx> {
    return b
      .select('busy.user_id')
      .whereIn('busy.kind', kinds)
      .andWhere('busy.state', 'active')
      .andWhere('busy.lease_expires_at', '>=', t)
      .andWhere('busy.lease_owner', '<>', owner);
  }

  /** PostgreSQL: keeps the rows whose person we could lock and who, seen after the lock, nobody else is paging. */
  private async onlyFreePeople(tx: Tx, rows: Row[], kinds: NotificationKind[], owner: string, t: number): Promise<Row[]> {
    const userIds = [...new Set(rows.map((r) => r.user_id).filter((u): u is number => u !== null))];
    if (userIds.length === 0) return rows;
    const locked = new Set(
      ((await tx('users').whereIn('id', userIds).select('id').forUpdate().skipLocked()) as { id: number }[]).map((r) => r.id),
    );
    const lockedIds = [...locked];
    const busy = new Set(
      lockedIds.length
        ? (
            (await this.busyWith(tx('notifications as busy').whereIn('busy.user_id', lockedIds), kinds, owner, t)
              .clearSelect()
              .distinct('busy.user_id as u')) as { u: number }[]
          ).map((r) => r.u)
        : [],
    );
    // user_id is a foreign key (SET NULL on delete): a non-null one always has a row to lock.
    return rows.filter((r) => r.user_id === null || (locked.has(r.user_id) && !busy.has(r.user_id)));
  }

  /** Keeps a long call's lease alive. False when the lease was lost (another instance took over). */
  async renewLease(id: number, owner: string, leaseMs: number): Promise<boolean> {
    const t = this.now();
    const n = await this.db('notifications')
      .where({ id, lease_owner: owner, state: 'active' })
      .update({ lease_expires_at: t + leaseMs, updated_at: t });
    return n > 0;
  }

  /** Puts a row back for a later attempt (retry policy decided by the caller). */
  async reschedule(id: number, owner: string, nextAttemptAt: number, reason: string): Promise<boolean> {
    const t = this.now();
    const n = await this.db('notifications')
      .where({ id, lease_owner: owner, state: 'active' })
      .update({
        state: 'pending',
        next_attempt_at: nextAttemptAt,
        lease_owner: null,
        lease_expires_at: null,
        reason,
        attempts: this.db.raw('attempts + 1'),
        updated_at: t,
      });
    return n > 0;
  }

  /** Gives a claimed row back untouched (e.g. its person is already on a call), due again at `at`. */
  async release(id: number, owner: string, at: number): Promise<void> {
    await this.db('notifications')
      .where({ id, lease_owner: owner, state: 'active' })
      .update({ state: 'pending', next_attempt_at: at, lease_owner: null, lease_expires_at: null, updated_at: this.now() });
  }

  /** Final state: delivered, failed or cancelled, always with an outcome and a reason. */
  async finish(
    id: number,
    owner: string | null,
    state: 'delivered' | 'failed' | 'cancelled',
    outcome: string,
    reason: string,
  ): Promise<boolean> {
    const t = this.now();
    let q = this.db('notifications').where({ id }).whereIn('state', ['pending', 'active']);
    if (owner !== null) q = q.andWhere((b) => b.where('lease_owner', owner).orWhereNull('lease_owner'));
    const n = await q.update({
      state,
      outcome,
      reason,
      finished_at: t,
      lease_owner: null,
      lease_expires_at: null,
      attempts: this.db.raw('attempts + 1'),
      updated_at: t,
    });
    return n > 0;
  }

  setCorrelation(id: number, alertGroupId: string | null, correlation: Correlation): Promise<void> {
    return this.correlations.submit({ id, alertGroupId, correlation });
  }

  /** Earliest time a pending row becomes due (for the engine's next wake-up), or null. */
  async nextDueAt(kinds: readonly NotificationKind[]): Promise<number | null> {
    const r = (await this.db('notifications')
      .whereIn('kind', kinds as NotificationKind[])
      .where('state', 'pending')
      .min({ t: 'next_attempt_at' })
      .first()) as { t: number | string | null } | undefined;
    return r?.t === null || r?.t === undefined ? null : Number(r.t);
  }
}
