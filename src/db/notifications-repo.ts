/**
 * The notifications table is the durable queue. A row is inserted in a committed
 * transaction before OnCall gets its 200; engines claim rows with a lease, record each
 * attempt, and finish every row as delivered or failed with a reason. A lease that expires
 * (its instance died) makes the row claimable again.
 */
import type { Db, Tx } from './knex';
import { isPostgres } from './knex';

export const NOTIFICATION_KINDS = ['call', 'sms', 'push', 'webhook'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationState = 'pending' | 'active' | 'delivered' | 'failed' | 'cancelled';
export type Correlation = 'exact' | 'matched' | 'none';

export interface Notification {
  id: number;
  kind: NotificationKind;
  source: string;
  userId: number | null;
  email: string;
  message: string;
  payload: unknown;
  alertGroupId: string | null;
  correlation: Correlation | null;
  receivedAt: number;
  state: NotificationState;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  outcome: string | null;
  reason: string | null;
  finishedAt: number | null;
  /** The enqueue's dedupe key, when it had one (direct pages: `<event>:<user id>:<kind>`). */
  dedupeKey?: string | null;
}

export interface Attempt {
  id: number;
  notificationId: number;
  channel: string;
  instance: string | null;
  callId: string | null;
  startedAt: number;
  ringingAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  outcome: string | null;
  cause: string | null;
  digits: string | null;
  action: string | null;
  result: string | null;
  /** Null when the rendered speech played; otherwise why recorded prompts stood in for it. */
  speech: string | null;
  /** What the phone was played, in order (the console's Listen button); null before migration 011 or for messages. */
  played?: PlayedItem[] | null;
}

/** One playback request as the telephony received it: the media list and its language. */
export interface PlayedItem {
  media: string[];
  lang: string;
  /** The playback failed (speech that could not be fetched): the phone did not hear it. */
  failed?: boolean;
  /** Cut short (a digit pressed over it, or the call ended): it played for this many ms. */
  cutAfterMs?: number;
  /** What its rendered speech was, as the call said when it played it. */
  speech?: 'summary' | 'reply';
}

export interface EnqueueInput {
  kind: NotificationKind;
  source: string;
  userId: number | null;
  email: string;
  message: string;
  payload?: unknown;
  alertGroupId?: string | null;
  correlation?: Correlation | null;
  /** Same key twice → the first row is returned and nothing new is stored. */
  dedupeKey?: string | null;
}

/** Optional check run inside the enqueue transaction, e.g. the daily limit. Throw to refuse. */
export type EnqueueGuard = (tx: Tx) => Promise<void>;

interface Row {
  id: number;
  kind: string;
  source: string;
  user_id: number | null;
  email: string;
  message: string;
  payload: string | null;
  alert_group_id: string | null;
  correlation: string | null;
  received_at: number | string;
  state: string;
  attempts: number;
  next_attempt_at: number | string;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  outcome: string | null;
  reason: string | null;
  finished_at: number | string | null;
  dedupe_key?: string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toNotification(r: Row): Notification {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    source: r.source,
    userId: r.user_id,
    email: r.email,
    message: r.message,
    payload: r.payload === null ? null : JSON.parse(r.payload),
    alertGroupId: r.alert_group_id,
    correlation: r.correlation as Correlation | null,
    receivedAt: Number(r.received_at),
    state: r.state as NotificationState,
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    leaseOwner: r.lease_owner,
    leaseExpiresAt: num(r.lease_expires_at),
    outcome: r.outcome,
    reason: r.reason,
    finishedAt: num(r.finished_at),
    dedupeKey: r.dedupe_key ?? null,
  };
}

function parsePlayed(v: unknown): PlayedItem[] | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    const list = JSON.parse(v) as unknown;
    return Array.isArray(list) ? (list as PlayedItem[]) : null;
  } catch {
    return null;
  }
}

function toAttempt(r: Record<string, unknown>): Attempt {
  return {
    id: r.id as number,
    notificationId: r.notification_id as number,
    channel: r.channel as string,
    instance: (r.instance as string) ?? null,
    callId: (r.call_id as string) ?? null,
    startedAt: Number(r.started_at),
    ringingAt: num(r.ringing_at as number | null),
    answeredAt: num(r.answered_at as number | null),
    endedAt: num(r.ended_at as number | null),
    outcome: (r.outcome as string) ?? null,
    cause: (r.cause as string) ?? null,
    digits: (r.digits as string) ?? null,
    action: (r.action as string) ?? null,
    result: (r.result as string) ?? null,
    speech: (r.speech as string) ?? null,
    played: parsePlayed(r.played),
  };
}

/** The console's page search; every field optional, all given ones must hold. */
export interface NotificationSearch {
  /** Substring of the page's email, or of the name or email of the person it belongs to. */
  person?: string;
  state?: NotificationState;
  kind?: NotificationKind;
  alertGroupId?: string;
  /** received_at >= this (ms). */
  receivedFrom?: number;
  /** received_at < this (ms). */
  receivedBefore?: number;
  /** Substring of the message. */
  text?: string;
  /** Paging: only rows with a smaller id (newest first). */
  beforeId?: number;
  /** Leave this one out (the other pages of an alert group). */
  excludeId?: number;
  limit: number;
}

/**
 * `col LIKE pattern`, case-insensitive, with % and _ in the text taken literally. lower() folds
 * every letter on PostgreSQL but only ASCII on SQLite, so there non-ASCII text is also tried as
 * typed, upper-cased and capitalised ("иван" finds "Иван", "диск" finds "ДИСК"); a word in mixed
 * case ("пЕтров") is still missed on SQLite.
 */
function whereLike(b: ReturnType<Tx>, db: Db, column: string, text: string): void {
  const pattern = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  const lowered = text.toLowerCase();
  b.whereRaw(`lower(${column}) like ? escape '!'`, [pattern(lowered)]);
  if (isPostgres(db) || /^[\x00-\x7f]*$/.test(text)) return;
  const capital = lowered.replace(/(^|[\s(«"'-])(\p{L})/gu, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
  for (const v of new Set([text, text.toUpperCase(), capital])) if (v !== lowered) b.orWhereRaw(`${column} like ? escape '!'`, [pattern(v)]);
}

export interface ClaimOptions {
  owner: string;
  kinds: readonly NotificationKind[];
  leaseMs: number;
  limit: number;
  /** Only rows of this user (bundling: claim everything pending for the person being called). */
  userId?: number;
  /** People this instance is already busy with: their rows wait instead of being claimed and released again. */
  excludeUserIds?: readonly number[];
  /** Only rows due (or orphaned) at or before this time, not now: pages that have waited long enough (telephony down). */
  dueBefore?: number;
}

export class NotificationsRepo {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

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
    const t = this.now();
    const row = {
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
    };
    const [idRow] = await tx('notifications').insert(row).returning('id');
    const id = typeof idRow === 'object' ? (idRow as { id: number }).id : (idRow as number);
    return toNotification({ ...row, id, lease_owner: null, lease_expires_at: null, outcome: null, reason: null, finished_at: null });
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
    const r = await tx('notifications').where({ user_id: userId, kind }).andWhere('received_at', '>=', since).count<{ n: number | string }[]>({ n: '*' });
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
    const n = await this.db('notifications').where({ id, state: 'pending' }).update({ state: 'cancelled', outcome, reason, finished_at: t, updated_at: t });
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
    const t = this.now();
    const due = Math.min(t, opts.dueBefore ?? t);
    const pg = isPostgres(this.db);
    const kinds = opts.kinds as NotificationKind[];
    return this.db.transaction(async (tx) => {
      let q = tx('notifications')
        .whereIn('kind', kinds)
        .andWhere((b) => {
          b.where((p) => p.where('state', 'pending').andWhere('next_attempt_at', '<=', due)).orWhere((a) => a.where('state', 'active').andWhere('lease_expires_at', '<', due));
        })
        .whereNotExists((b) => this.busyWith(b.from('notifications as busy').whereRaw('busy.user_id = notifications.user_id'), kinds, opts.owner, t));
      if (opts.userId !== undefined) q = q.andWhere('user_id', opts.userId);
      if (opts.excludeUserIds?.length) {
        const busy = [...opts.excludeUserIds];
        q = q.andWhere((b) => b.whereNull('user_id').orWhereNotIn('user_id', busy));
      }
      q = q.orderBy('next_attempt_at').orderBy('id').limit(opts.limit).select('*');
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

  /** Rows of these kinds leased by someone else and still live. */
  private busyWith(b: ReturnType<Tx>, kinds: NotificationKind[], owner: string, t: number): ReturnType<Tx> {
    return b.select(this.db.raw('1')).whereIn('busy.kind', kinds).andWhere('busy.state', 'active').andWhere('busy.lease_expires_at', '>=', t).andWhere('busy.lease_owner', '<>', owner);
  }

  /** PostgreSQL: keeps the rows whose person we could lock and who, seen after the lock, nobody else is paging. */
  private async onlyFreePeople(tx: Tx, rows: Row[], kinds: NotificationKind[], owner: string, t: number): Promise<Row[]> {
    const userIds = [...new Set(rows.map((r) => r.user_id).filter((u): u is number => u !== null))];
    if (userIds.length === 0) return rows;
    const locked = new Set(((await tx('users').whereIn('id', userIds).select('id').forUpdate().skipLocked()) as { id: number }[]).map((r) => r.id));
    const lockedIds = [...locked];
    const busy = new Set(lockedIds.length ? ((await this.busyWith(tx('notifications as busy').whereIn('busy.user_id', lockedIds), kinds, owner, t).clearSelect().distinct('busy.user_id as u')) as { u: number }[]).map((r) => r.u) : []);
    // user_id is a foreign key (SET NULL on delete): a non-null one always has a row to lock.
    return rows.filter((r) => r.user_id === null || (locked.has(r.user_id) && !busy.has(r.user_id)));
  }

  /** Keeps a long call's lease alive. False when the lease was lost (another instance took over). */
  async renewLease(id: number, owner: string, leaseMs: number): Promise<boolean> {
    const t = this.now();
    const n = await this.db('notifications').where({ id, lease_owner: owner, state: 'active' }).update({ lease_expires_at: t + leaseMs, updated_at: t });
    return n > 0;
  }

  /** Puts a row back for a later attempt (retry policy decided by the caller). */
  async reschedule(id: number, owner: string, nextAttemptAt: number, reason: string): Promise<boolean> {
    const t = this.now();
    const n = await this.db('notifications')
      .where({ id, lease_owner: owner, state: 'active' })
      .update({ state: 'pending', next_attempt_at: nextAttemptAt, lease_owner: null, lease_expires_at: null, reason, attempts: this.db.raw('attempts + 1'), updated_at: t });
    return n > 0;
  }

  /** Gives a claimed row back untouched (e.g. its person is already on a call), due again at `at`. */
  async release(id: number, owner: string, at: number): Promise<void> {
    await this.db('notifications').where({ id, lease_owner: owner, state: 'active' }).update({ state: 'pending', next_attempt_at: at, lease_owner: null, lease_expires_at: null, updated_at: this.now() });
  }

  /** Attempts that never ended: their instance died mid-call. Marked interrupted; returns how many. */
  async closeOpenAttempts(notificationIds: number[], outcome: string, result: string): Promise<number> {
    if (notificationIds.length === 0) return 0;
    return this.db('attempts').whereIn('notification_id', notificationIds).whereNull('ended_at').update({ ended_at: this.now(), outcome, result });
  }

  /** Final state: delivered, failed or cancelled, always with an outcome and a reason. */
  async finish(id: number, owner: string | null, state: 'delivered' | 'failed' | 'cancelled', outcome: string, reason: string): Promise<boolean> {
    const t = this.now();
    let q = this.db('notifications').where({ id }).whereIn('state', ['pending', 'active']);
    if (owner !== null) q = q.andWhere((b) => b.where('lease_owner', owner).orWhereNull('lease_owner'));
    const n = await q.update({ state, outcome, reason, finished_at: t, lease_owner: null, lease_expires_at: null, attempts: this.db.raw('attempts + 1'), updated_at: t });
    return n > 0;
  }

  async setCorrelation(id: number, alertGroupId: string | null, correlation: Correlation): Promise<void> {
    await this.db('notifications').where({ id }).update({ alert_group_id: alertGroupId, correlation, updated_at: this.now() });
  }

  async startAttempt(a: { notificationId: number; channel: string; instance?: string | null; callId?: string | null }): Promise<number> {
    const [idRow] = await this.db('attempts')
      .insert({ notification_id: a.notificationId, channel: a.channel, instance: a.instance ?? null, call_id: a.callId ?? null, started_at: this.now() })
      .returning('id');
    return typeof idRow === 'object' ? (idRow as { id: number }).id : (idRow as number);
  }

  async updateAttempt(id: number, fields: Partial<Omit<Attempt, 'id' | 'notificationId' | 'channel' | 'startedAt'>>): Promise<void> {
    const map: Record<string, unknown> = {};
    const cols: Record<string, string> = { instance: 'instance', callId: 'call_id', ringingAt: 'ringing_at', answeredAt: 'answered_at', endedAt: 'ended_at', outcome: 'outcome', cause: 'cause', digits: 'digits', action: 'action', result: 'result', speech: 'speech' };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && cols[k]) map[cols[k]] = v;
    if (fields.played !== undefined) map.played = fields.played === null ? null : JSON.stringify(fields.played);
    if (Object.keys(map).length) await this.db('attempts').where({ id }).update(map);
  }

  async attemptsFor(ids: number[]): Promise<Map<number, Attempt[]>> {
    const out = new Map<number, Attempt[]>();
    if (ids.length === 0) return out;
    const rows = (await this.db('attempts').whereIn('notification_id', ids).orderBy('id')) as Record<string, unknown>[];
    for (const r of rows) {
      const a = toAttempt(r);
      const list = out.get(a.notificationId) ?? [];
      list.push(a);
      out.set(a.notificationId, list);
    }
    return out;
  }

  /**
   * Start times of successful sends on a channel since `since` (rate limits, SMS bundling):
   * one person's when `userId` is given, everyone's otherwise.
   */
  async sendTimes(channelPrefix: string, since: number, userId?: number): Promise<number[]> {
    let q = this.db('attempts')
      .join('notifications', 'notifications.id', 'attempts.notification_id')
      .where('attempts.channel', 'like', `${channelPrefix}%`)
      .andWhere('attempts.outcome', 'sent')
      .andWhere('attempts.started_at', '>=', since);
    if (userId !== undefined) q = q.andWhere('notifications.user_id', userId);
    // A bundled SMS records one attempt per page; count it once by its call id.
    const rows = (await q.select('attempts.started_at as t', 'attempts.call_id as c')) as { t: number | string; c: string | null }[];
    const seen = new Set<string>();
    const out: number[] = [];
    for (const r of rows) {
      if (r.c) {
        if (seen.has(r.c)) continue;
        seen.add(r.c);
      }
      out.push(Number(r.t));
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * A person's voice attempts since `since`, each with its page's alert group and whether it
   * was that page's first voice attempt (its admission): what the voice limits read.
   */
  async voiceHistory(userId: number, since: number): Promise<{ callId: string | null; startedAt: number; outcome: string | null; alertGroupId: string | null; first: boolean }[]> {
    const firstIds = this.db('attempts as a2').min('a2.id').whereRaw('a2.notification_id = attempts.notification_id').andWhere('a2.channel', 'voice');
    const rows = (await this.db('attempts')
      .join('notifications', 'notifications.id', 'attempts.notification_id')
      .where('attempts.channel', 'voice')
      .andWhere('notifications.user_id', userId)
      .andWhere('attempts.started_at', '>=', since)
      .select('attempts.call_id as c', 'attempts.started_at as t', 'attempts.outcome as o', 'notifications.alert_group_id as g', this.db.raw('(CASE WHEN attempts.id = (?) THEN 1 ELSE 0 END) as f', [firstIds]))) as { c: string | null; t: number | string; o: string | null; g: string | null; f: number | string }[];
    return rows.map((r) => ({ callId: r.c, startedAt: Number(r.t), outcome: r.o, alertGroupId: r.g, first: Number(r.f) === 1 }));
  }

  async listRecent(limit: number, filter: { state?: NotificationState; kind?: NotificationKind } = {}): Promise<Notification[]> {
    const rows = (await this.db('notifications')
      .where((b) => {
        if (filter.state) b.where('state', filter.state);
        if (filter.kind) b.where('kind', filter.kind);
      })
      .orderBy('id', 'desc')
      .limit(limit)) as Row[];
    return rows.map(toNotification);
  }

  /** Newest first, filtered as the console's page search asks (works alike on SQLite and PostgreSQL). */
  async search(f: NotificationSearch): Promise<Notification[]> {
    let q = this.db('notifications').select('notifications.*');
    if (f.state) q = q.where('notifications.state', f.state);
    if (f.kind) q = q.where('notifications.kind', f.kind);
    if (f.alertGroupId) q = q.where('notifications.alert_group_id', f.alertGroupId);
    if (f.receivedFrom !== undefined) q = q.where('notifications.received_at', '>=', f.receivedFrom);
    if (f.receivedBefore !== undefined) q = q.where('notifications.received_at', '<', f.receivedBefore);
    if (f.beforeId !== undefined) q = q.where('notifications.id', '<', f.beforeId);
    if (f.excludeId !== undefined) q = q.whereNot('notifications.id', f.excludeId);
    if (f.text) {
      const text = f.text;
      q = q.where((b) => whereLike(b, this.db, 'notifications.message', text));
    }
    if (f.person) {
      const person = f.person;
      q = q.where((b) => {
        b.where((e) => whereLike(e, this.db, 'notifications.email', person)).orWhereExists((u) => {
          u.select(this.db.raw('1'))
            .from('users')
            .whereRaw('users.id = notifications.user_id')
            .andWhere((w) => w.where((n) => whereLike(n, this.db, 'users.name', person)).orWhere((e) => whereLike(e, this.db, 'users.email', person)));
        });
      });
    }
    const rows = (await q.orderBy('notifications.id', 'desc').limit(f.limit)) as Row[];
    return rows.map(toNotification);
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = (await this.db('notifications').select('state').count<{ state: string; n: number | string }[]>({ n: '*' }).groupBy('state')) as { state: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** Earliest time a pending row becomes due (for the engine's next wake-up), or null. */
  async nextDueAt(kinds: readonly NotificationKind[]): Promise<number | null> {
    const r = (await this.db('notifications').whereIn('kind', kinds as NotificationKind[]).where('state', 'pending').min({ t: 'next_attempt_at' }).first()) as { t: number | string | null } | undefined;
    return r?.t === null || r?.t === undefined ? null : Number(r.t);
  }
}
