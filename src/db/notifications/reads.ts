/** The read side of the notifications: the console's search, the recent list and the counts for metrics. */
import type { Db, Tx } from '../knex';
import { isPostgres } from '../knex';
import { toNotification, type Notification, type NotificationKind, type NotificationState, type Row } from './types';

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
  for (const v of new Set([text, text.toUpperCase(), capital]))
    if (v !== lowered) b.orWhereRaw(`${column} like ? escape '!'`, [pattern(v)]);
}

export class NotificationReads {
  constructor(private readonly db: Db) {}

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
            .andWhere((w) =>
              w.where((n) => whereLike(n, this.db, 'users.name', person)).orWhere((e) => whereLike(e, this.db, 'users.email', person)),
            );
        });
      });
    }
    const rows = (await q.orderBy('notifications.id', 'desc').limit(f.limit)) as Row[];
    return rows.map(toNotification);
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = (await this.db('notifications')
      .select('state')
      .count<{ state: string; n: number | string }[]>({ n: '*' })
      .groupBy('state')) as { state: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }
}
