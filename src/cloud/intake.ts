/**
 * Accepts make_call / send_sms pages: finds the person, checks the number and the daily
 * limit, and stores the row. Concurrent pages share one transaction (group commit), so a
 * burst from OnCall costs one fsync, and each page is answered only after its commit.
 */
import type { Db } from '../db/knex';
import { GroupCommit } from '../db/group-commit';
import type { UsersRepo } from '../db/users-repo';
import { emailKey } from '../db/users-repo';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PageRequest {
  kind: 'call' | 'sms';
  email: string;
  message: string;
  source: string;
}

export type PageOutcome =
  | { status: 'accepted'; notification: Notification }
  | { status: 'user-not-found' }
  | { status: 'number-not-verified' }
  | { status: 'limit-exceeded'; limit: number };

export interface IntakeLimits {
  dailyCalls: number;
  dailySms: number;
}

export class PageIntake {
  private readonly batcher: GroupCommit<PageRequest, PageOutcome>;

  constructor(
    private readonly db: Db,
    private readonly users: UsersRepo,
    private readonly notifications: NotificationsRepo,
    private readonly limits: IntakeLimits,
    private readonly now: () => number,
  ) {
    this.batcher = new GroupCommit((items) => this.flush(items));
  }

  accept(req: PageRequest): Promise<PageOutcome> {
    return this.batcher.submit(req);
  }

  private flush(items: PageRequest[]): Promise<PageOutcome[]> {
    return this.db.transaction(async (tx) => {
      const users = await this.users.getManyByEmail(items.map((i) => i.email), tx);
      const callable = [...users.values()].filter((u) => u.phone !== null && u.phoneVerified).map((u) => u.id);
      const counts = await this.notifications.countsSince(tx, callable, this.now() - DAY_MS);
      const out: PageOutcome[] = [];
      for (const item of items) {
        const user = users.get(emailKey(item.email));
        if (!user) {
          out.push({ status: 'user-not-found' });
          continue;
        }
        if (user.phone === null || !user.phoneVerified) {
          out.push({ status: 'number-not-verified' });
          continue;
        }
        const limit = item.kind === 'call' ? this.limits.dailyCalls : this.limits.dailySms;
        const key = `${user.id}:${item.kind}`;
        const used = counts.get(key) ?? 0;
        if (limit > 0 && used >= limit) {
          out.push({ status: 'limit-exceeded', limit });
          continue;
        }
        counts.set(key, used + 1);
        const notification = await this.notifications.insertIn(tx, { kind: item.kind, source: item.source, userId: user.id, email: user.email, message: item.message });
        out.push({ status: 'accepted', notification });
      }
      return out;
    });
  }
}
