/**
 * A named lease in the `leases` table: at most one holder at a time, with an expiry. Each
 * operation is one SQL statement (an upsert or an update with RETURNING), identical on
 * PostgreSQL and SQLite, so two instances racing for it are decided by the database alone.
 * Expiry is read on the callers' clocks: instances must keep their clocks in sync (NTP) to
 * well within the lease's safety margin.
 */
import type { Db } from '../db/knex';
import { isPostgres } from '../db/knex';
import { AppError } from '../core/errors';

export interface LeaseGrant {
  name: string;
  holder: string;
  expiresAt: number;
  /** Grows by one at every change of holder: a term number for logs and fencing. */
  epoch: number;
}

type Raw = Record<string, unknown>;

/** knex.raw answers `{rows}` on PostgreSQL and a plain array on SQLite. */
function rowsOf(result: unknown): Raw[] {
  if (Array.isArray(result)) return result as Raw[];
  return ((result as { rows?: Raw[] }).rows ?? []) as Raw[];
}

const toGrant = (r: Raw): LeaseGrant => ({
  name: String(r.name),
  holder: String(r.holder),
  expiresAt: Number(r.expires_at),
  epoch: Number(r.epoch),
});

export class ClusterLease {
  /**
   * @param timeoutMs bound on every statement: a lease call that hangs must not keep a
   *   holder believing it still leads (the Singleton also has its own deadline).
   */
  /** Only PostgreSQL can cancel a running statement; SQLite's single connection just gives up waiting. */
  private readonly cancel: { cancel?: boolean };

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = 5_000,
  ) {
    this.cancel = isPostgres(db) ? { cancel: true } : {};
  }

  /**
   * Takes the lease when it is free, expired, or already ours (then it is extended).
   * Returns the grant, or null when another holder's lease is still running.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | null> {
    const t = this.now();
    const rows = rowsOf(
      await this.db
        .raw(
          `insert into leases (name, holder, expires_at, epoch, acquired_at, updated_at) values (?, ?, ?, 1, ?, ?)
           on conflict (name) do update set
             holder = excluded.holder,
             expires_at = excluded.expires_at,
             epoch = case when leases.holder = excluded.holder then leases.epoch else leases.epoch + 1 end,
             acquired_at = case when leases.holder = excluded.holder then leases.acquired_at else excluded.acquired_at end,
             updated_at = excluded.updated_at
           where leases.holder = excluded.holder or leases.expires_at < ?
           returning name, holder, expires_at, epoch`,
          [name, holder, t + ttlMs, t, t, t],
        )
        .timeout(this.timeoutMs, this.cancel)
        .catch((e: unknown) => {
          throw new AppError('lease-failed', `acquiring lease ${name} failed: ${(e as Error).message}`, { temporary: true, cause: e });
        }),
    );
    return rows[0] ? toGrant(rows[0]) : null;
  }

  /** Extends our lease. False when it is no longer ours (someone took it over after it expired). */
  async renew(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | null> {
    const t = this.now();
    const rows = rowsOf(
      await this.db
        .raw('update leases set expires_at = ?, updated_at = ? where name = ? and holder = ? returning name, holder, expires_at, epoch', [
          t + ttlMs,
          t,
          name,
          holder,
        ])
        .timeout(this.timeoutMs, this.cancel)
        .catch((e: unknown) => {
          throw new AppError('lease-failed', `renewing lease ${name} failed: ${(e as Error).message}`, { temporary: true, cause: e });
        }),
    );
    return rows[0] ? toGrant(rows[0]) : null;
  }

  /** Gives the lease up at once (orderly shutdown) so another instance need not wait for expiry. */
  async release(name: string, holder: string): Promise<boolean> {
    const t = this.now();
    const n = await this.db('leases')
      .where({ name, holder })
      .andWhere('expires_at', '>=', t)
      .update({ expires_at: t - 1, updated_at: t })
      .timeout(this.timeoutMs, this.cancel);
    return n > 0;
  }

  /** The lease as stored (possibly expired), or null when nobody ever held it. */
  async current(name: string): Promise<LeaseGrant | null> {
    const r = (await this.db('leases').where({ name }).first().timeout(this.timeoutMs, this.cancel)) as Raw | undefined;
    return r ? toGrant(r) : null;
  }
}
