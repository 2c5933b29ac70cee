/**
 * The PageStore in the database: one instance may page someone directly and OnCall's
 * make_call for that page may reach another instance (or this one after a restart).
 */
import type { PageStore } from './page-store';
import type { Db, Tx } from '../db/knex';
import { isPostgres } from '../db/knex';

export interface DbPageStoreOptions {
  /** Rows kept per person; older ones are dropped on remember. Default 20. */
  maxPerEmail?: number;
}

type Query = ReturnType<Tx>;

/** A page remembered with a clock slightly ahead of ours (another instance) still counts. */
const FUTURE_SKEW_MS = 60_000;

export class DbPageStore implements PageStore {
  private readonly maxPerEmail: number;

  constructor(
    private readonly db: Db,
    opts: DbPageStoreOptions = {},
  ) {
    this.maxPerEmail = opts.maxPerEmail ?? 20;
  }

  async remember(email: string, alertGroupId: string, at: number): Promise<void> {
    const key = email.toLowerCase();
    await this.db.transaction(async (tx) => {
      await tx('own_pages')
        .insert({ email_lower: key, alert_group_id: alertGroupId, created_at: at })
        .onConflict(['email_lower', 'alert_group_id'])
        .merge(['created_at']);
      const newest = tx('own_pages')
        .select('id')
        .where('email_lower', key)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(this.maxPerEmail);
      await tx('own_pages')
        .whereIn('id', this.unlocked(tx('own_pages').select('id').where('email_lower', key).whereNotIn('id', newest)))
        .del();
    });
  }

  /**
   * Removes and returns the oldest page within the window. On PostgreSQL the row is locked
   * with FOR UPDATE SKIP LOCKED, so two instances taking at once get different rows (as the
   * queue's claim does); SQLite has one connection, so its transaction is enough.
   */
  async take(email: string, now: number, maxAgeMs: number): Promise<string | null> {
    const key = email.toLowerCase();
    const from = now - maxAgeMs;
    return this.db.transaction(async (tx) => {
      // Pages older than the window will never be taken: drop them while we are here.
      await tx('own_pages')
        .whereIn('id', this.unlocked(tx('own_pages').select('id').where('email_lower', key).andWhere('created_at', '<', from)))
        .del();
      const q = this.unlocked(
        tx('own_pages')
          .select('id', 'alert_group_id')
          .where('email_lower', key)
          .andWhere('created_at', '>=', from)
          .andWhere('created_at', '<=', now + FUTURE_SKEW_MS)
          .orderBy('created_at')
          .orderBy('id')
          .limit(1),
      );
      const rows = (await q) as { id: number; alert_group_id: string }[];
      if (rows.length === 0) return null;
      await tx('own_pages').where('id', rows[0].id).del();
      return rows[0].alert_group_id;
    });
  }

  /**
   * PostgreSQL: rows another transaction holds are left alone, so a take never waits and two
   * clean-ups cannot deadlock (trimming is a bound, not an exact count).
   */
  private unlocked(q: Query): Query {
    return isPostgres(this.db) ? q.forUpdate().skipLocked() : q;
  }

  /** Drops every page remembered before `before` (for people who never got their make_call). */
  async prune(before: number): Promise<number> {
    return this.db('own_pages').where('created_at', '<', before).del();
  }

  /** Rows currently kept (admin views and tests). */
  async count(email?: string): Promise<number> {
    const q = this.db('own_pages');
    if (email !== undefined) q.where('email_lower', email.toLowerCase());
    const r = (await q.count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(r?.n ?? 0);
  }
}
