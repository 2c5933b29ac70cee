/**
 * What the shift watcher remembers across restarts: who was on call at the last look (per
 * schedule), which schedules it has looked at, and which notices it has sent. Times are
 * epoch milliseconds.
 */
import type { Db } from '../../db/knex';
import type { NoticeKind } from './model';

export interface NoticeKey {
  scheduleId: string;
  userPk: string;
  kind: NoticeKind;
  shiftStart: number;
}

/** userPk → since (epoch ms: the start of their current on-call stretch as we know it). */
export type OnCallMembers = Map<string, number>;

export class ShiftNoticesRepo {
  constructor(private readonly db: Db) {}

  async wasSent(k: NoticeKey): Promise<boolean> {
    const row = await this.db('shift_notices')
      .where({ schedule_id: k.scheduleId, user_pk: k.userPk, kind: k.kind, shift_start: k.shiftStart })
      .first('id');
    return row !== undefined;
  }

  /** Records a sent notice; false when it was already recorded (another instance, a retry). */
  async recordSent(k: NoticeKey, email: string | null, at: number): Promise<boolean> {
    const n = await this.db('shift_notices')
      .insert({ schedule_id: k.scheduleId, user_pk: k.userPk, kind: k.kind, shift_start: k.shiftStart, email, sent_at: at })
      .onConflict(['schedule_id', 'user_pk', 'kind', 'shift_start'])
      .ignore();
    return Array.isArray(n) ? Number(n[0] ?? 0) > 0 : Boolean(n);
  }

  /** Everything sent, oldest first (tests, the status page). */
  async sent(limit = 200): Promise<(NoticeKey & { email: string | null; sentAt: number })[]> {
    const rows = (await this.db('shift_notices').orderBy('id').limit(limit)) as {
      schedule_id: string;
      user_pk: string;
      kind: string;
      shift_start: number | string;
      email: string | null;
      sent_at: number | string;
    }[];
    return rows.map((r) => ({
      scheduleId: r.schedule_id,
      userPk: r.user_pk,
      kind: r.kind as NoticeKind,
      shiftStart: Number(r.shift_start),
      email: r.email,
      sentAt: Number(r.sent_at),
    }));
  }

  /** The last saved on-call members of every schedule looked at before (absent = never looked at). */
  async loadOnCall(): Promise<Map<string, OnCallMembers>> {
    const out = new Map<string, OnCallMembers>();
    for (const s of (await this.db('shift_schedules').select('schedule_id')) as { schedule_id: string }[])
      out.set(s.schedule_id, new Map());
    const rows = (await this.db('shift_oncall').select('schedule_id', 'user_pk', 'since')) as {
      schedule_id: string;
      user_pk: string;
      since: number | string;
    }[];
    for (const r of rows) out.get(r.schedule_id)?.set(r.user_pk, Number(r.since));
    return out;
  }

  /** Replaces one schedule's members in one transaction and marks the schedule as looked at. */
  async saveOnCall(scheduleId: string, name: string, members: OnCallMembers, at: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx('shift_oncall').where({ schedule_id: scheduleId }).delete();
      const rows = [...members].map(([userPk, since]) => ({ schedule_id: scheduleId, user_pk: userPk, since }));
      if (rows.length) await tx('shift_oncall').insert(rows);
      await tx('shift_schedules')
        .insert({ schedule_id: scheduleId, name: name.slice(0, 200), checked_at: at })
        .onConflict('schedule_id')
        .merge();
    });
  }
}
