/** Every try to deliver a notification (a call, an SMS), and what the limits and the console read from them. */
import type { Db, Tx } from '../knex';
import { GroupCommit } from '../group-commit';
import { num, type Attempt, type DialLeg, type PlayedItem } from './types';

function parsePlayed(v: unknown): PlayedItem[] | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    const list = JSON.parse(v) as unknown;
    return Array.isArray(list) ? (list as PlayedItem[]) : null;
  } catch {
    return null;
  }
}

function parseLegs(v: unknown): DialLeg[] | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    const list = JSON.parse(v) as unknown;
    return Array.isArray(list) ? (list as DialLeg[]) : null;
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
    trunk: (r.trunk as string) ?? null,
    legs: parseLegs(r.legs),
  };
}

export interface VoiceHistoryItem {
  callId: string | null;
  startedAt: number;
  outcome: string | null;
  alertGroupId: string | null;
  first: boolean;
}

/** Rows per INSERT: knex writes SQLite's multi-row insert as a compound SELECT, at most 500 terms. */
const START_CHUNK = 500;

export interface StartAttempt {
  notificationId: number;
  channel: string;
  instance?: string | null;
  callId?: string | null;
}

export class AttemptsRepo {
  /**
   * Calls starting together (a burst) record their attempts in one statement: one round trip to
   * the database and one commit, not a transaction with a round trip per page. A single INSERT
   * is atomic on its own, so no BEGIN and COMMIT round trips either: under a burst each trip
   * waits its turn on a busy event loop, and twenty pages cost twenty of them.
   */
  private readonly starts: GroupCommit<StartAttempt[], number[]>;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.starts = new GroupCommit(async (calls) => {
      const ids = await this.insertStarts(this.db, calls.flat());
      let k = 0;
      return calls.map((call) => call.map(() => ids[k++]));
    });
  }

  /** The attempts of one call's pages, written with whatever other calls are starting now; ids in order. */
  startAttempts(pages: StartAttempt[]): Promise<number[]> {
    return this.starts.submit(pages);
  }

  async startAttempt(a: StartAttempt): Promise<number> {
    return (await this.insertStarts(this.db, [a]))[0];
  }

  /**
   * Ids in input order. RETURNING's row order is not promised, but ids are handed out in VALUES
   * order on SQLite (rowids increase as rows are inserted) and on PostgreSQL (nextval per row),
   * so the sorted ids line up with the inputs. More rows than one statement may bind (never a
   * burst's worth) are written chunk by chunk inside a transaction, so they are stored whole or not at all.
   */
  private async insertStarts(db: Db, starts: StartAttempt[]): Promise<number[]> {
    if (starts.length <= START_CHUNK) return this.insertChunk(db, starts);
    return db.transaction(async (tx) => {
      const out: number[] = [];
      for (let i = 0; i < starts.length; i += START_CHUNK) out.push(...(await this.insertChunk(tx, starts.slice(i, i + START_CHUNK))));
      return out;
    });
  }

  private async insertChunk(db: Db | Tx, chunk: StartAttempt[]): Promise<number[]> {
    const t = this.now();
    const returned = (await db('attempts')
      .insert(
        chunk.map((a) => ({
          notification_id: a.notificationId,
          channel: a.channel,
          instance: a.instance ?? null,
          call_id: a.callId ?? null,
          started_at: t,
        })),
      )
      .returning('id')) as ({ id: number } | number)[];
    const ids = returned.map((r) => Number(typeof r === 'object' ? r.id : r)).sort((a, b) => a - b);
    if (ids.length !== chunk.length) throw new Error(`recorded ${ids.length} of ${chunk.length} attempts`);
    return ids;
  }

  async updateAttempt(id: number, fields: Partial<Omit<Attempt, 'id' | 'notificationId' | 'channel' | 'startedAt'>>): Promise<void> {
    const map: Record<string, unknown> = {};
    const cols: Record<string, string> = {
      instance: 'instance',
      callId: 'call_id',
      ringingAt: 'ringing_at',
      answeredAt: 'answered_at',
      endedAt: 'ended_at',
      outcome: 'outcome',
      cause: 'cause',
      digits: 'digits',
      action: 'action',
      result: 'result',
      speech: 'speech',
      trunk: 'trunk',
    };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && cols[k]) map[cols[k]] = v;
    if (fields.played !== undefined) map.played = fields.played === null ? null : JSON.stringify(fields.played);
    if (fields.legs !== undefined) map.legs = fields.legs === null ? null : JSON.stringify(fields.legs);
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

  /** A person's sent SMS since `since`, each with its page's alert group (what the SMS limits read). */
  async textHistory(userId: number, since: number): Promise<{ callId: string | null; startedAt: number; alertGroupId: string | null }[]> {
    const rows = (await this.db('attempts')
      .join('notifications', 'notifications.id', 'attempts.notification_id')
      .where('attempts.channel', 'like', 'sms:%')
      .andWhere('attempts.outcome', 'sent')
      .andWhere('notifications.user_id', userId)
      .andWhere('attempts.started_at', '>=', since)
      .select('attempts.call_id as c', 'attempts.started_at as t', 'notifications.alert_group_id as g')) as {
      c: string | null;
      t: number | string;
      g: string | null;
    }[];
    return rows.map((r) => ({ callId: r.c, startedAt: Number(r.t), alertGroupId: r.g }));
  }

  /**
   * A person's voice attempts since `since`, each with its page's alert group and whether it
   * was that page's first voice attempt (its admission): what the voice limits read.
   */
  async voiceHistory(userId: number, since: number): Promise<VoiceHistoryItem[]> {
    return (await this.voiceHistories([userId], since)).get(userId) ?? [];
  }

  /** voiceHistory of several people in one query (a burst's claim), by user id; everyone asked has an entry. */
  async voiceHistories(userIds: number[], since: number): Promise<Map<number, VoiceHistoryItem[]>> {
    const out = new Map<number, VoiceHistoryItem[]>(userIds.map((u) => [u, []]));
    if (userIds.length === 0) return out;
    const firstIds = this.db('attempts as a2')
      .min('a2.id')
      .whereRaw('a2.notification_id = attempts.notification_id')
      .andWhere('a2.channel', 'voice');
    const rows = (await this.db('attempts')
      .join('notifications', 'notifications.id', 'attempts.notification_id')
      .where('attempts.channel', 'voice')
      .whereIn('notifications.user_id', userIds)
      .andWhere('attempts.started_at', '>=', since)
      .orderBy('attempts.id')
      .select(
        'notifications.user_id as u',
        'attempts.call_id as c',
        'attempts.started_at as t',
        'attempts.outcome as o',
        'notifications.alert_group_id as g',
        this.db.raw('(CASE WHEN attempts.id = (?) THEN 1 ELSE 0 END) as f', [firstIds]),
      )) as { u: number; c: string | null; t: number | string; o: string | null; g: string | null; f: number | string }[];
    for (const r of rows)
      out.get(Number(r.u))?.push({ callId: r.c, startedAt: Number(r.t), outcome: r.o, alertGroupId: r.g, first: Number(r.f) === 1 });
    return out;
  }
}
