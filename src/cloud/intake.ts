/**
 * Accepts pages from OnCall: finds the person, checks the number, that some channel can deliver
 * the page, and the daily limit, and stores the row. make_call / send_sms pages share one
 * transaction (group commit), so a burst from OnCall costs one fsync, and each page is answered
 * only after its commit. The webhook and push-relay routes store their own rows (dedupe, device
 * routing) but ask the same questions through refusal() and dailyGuard(): no route walks around
 * a limit another route enforces.
 */
import type { Db } from '../db/knex';
import { GroupCommit } from '../db/group-commit';
import type { UsersRepo } from '../directory/users-repo';
import { emailKey } from '../directory/users-repo';
import type { NotificationsRepo, Notification, NotificationKind, EnqueueGuard, EnqueueInput } from '../db/notifications-repo';
import type { User } from '../directory/user';
import type { Deliverable } from '../dispatch/deliverable';
import { AppError } from '../core/errors';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The sources of OnCall's pages: only these count against the daily limits (not heartbeats or fallbacks). */
export const ONCALL_SOURCES = ['oncall-cloud', 'oncall-webhook', 'oncall-fcm-relay'] as const;

/** Pages that ring the phone share one daily limit, text pages (SMS and relayed pushes) the other. */
const DAILY_KINDS: Record<'calls' | 'texts', NotificationKind[]> = { calls: ['call', 'webhook'], texts: ['sms', 'push'] };
const dailyClass = (kind: NotificationKind): 'calls' | 'texts' => (kind === 'call' || kind === 'webhook' ? 'calls' : 'texts');

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
  | { status: 'failed'; reason: string }
  | { status: 'limit-exceeded'; limit: number };

export interface IntakeLimits {
  /** Pages that ring the phone (make_call, webhook) per person per 24 h; 0 = none. */
  dailyCalls: number;
  /** Text pages (send_sms, fcm_relay) per person per 24 h; 0 = none. */
  dailySms: number;
}

/** Thrown by dailyGuard() inside the enqueue transaction: nothing is stored. */
export class LimitExceededError extends AppError {
  constructor(
    readonly limit: number,
    kind: NotificationKind,
  ) {
    super(
      'limit-exceeded',
      `daily limit reached: ${limit} ${dailyClass(kind) === 'calls' ? 'call pages (make_call, webhook)' : 'text pages (send_sms, fcm_relay)'} per person in 24 h`,
    );
  }
}

export class PageIntake {
  private readonly batcher: GroupCommit<PageRequest, PageOutcome>;

  constructor(
    private readonly db: Db,
    private readonly users: UsersRepo,
    private readonly notifications: NotificationsRepo,
    private readonly limits: IntakeLimits,
    private readonly now: () => number,
    /** When set, pages no channel could deliver are refused (503 `failed`) instead of accepted and failed. */
    private readonly deliverable: Deliverable | null = null,
  ) {
    this.batcher = new GroupCommit((items) => this.flush(items));
  }

  accept(req: PageRequest): Promise<PageOutcome> {
    return this.batcher.submit(req);
  }

  /** Why this person cannot get this page at all (no usable number, nothing can deliver it); null when they can. */
  refusal(kind: 'call' | 'sms' | 'webhook', user: User): Extract<PageOutcome, { status: 'number-not-verified' | 'failed' }> | null {
    if (user.phone === null || !user.phoneVerified) return { status: 'number-not-verified' };
    const why = this.deliverable?.(kind, user) ?? null;
    return why ? { status: 'failed', reason: why } : null;
  }

  /** Run inside the enqueue transaction: throws LimitExceededError when the person's daily limit for this kind is used up. */
  dailyGuard(userId: number, kind: NotificationKind): EnqueueGuard {
    return async (tx) => {
      const limit = this.limitOf(kind);
      if (limit <= 0) return;
      const counts = await this.notifications.countsSince(tx, [userId], this.now() - DAY_MS, ONCALL_SOURCES);
      if (used(counts, userId, kind) >= limit) throw new LimitExceededError(limit, kind);
    };
  }

  private limitOf(kind: NotificationKind): number {
    return dailyClass(kind) === 'calls' ? this.limits.dailyCalls : this.limits.dailySms;
  }

  /**
   * One transaction for the batch: the people in one read, the daily counts in one read (only
   * when a limit applies to a kind in the batch), and the accepted rows in one insert.
   */
  private flush(items: PageRequest[]): Promise<PageOutcome[]> {
    return this.db.transaction(async (tx) => {
      const users = await this.users.getManyByEmail(
        items.map((i) => i.email),
        tx,
      );
      const limited = items.some((i) => this.limitOf(i.kind) > 0);
      const callable = [...users.values()].filter((u) => u.phone !== null && u.phoneVerified).map((u) => u.id);
      const counts = limited
        ? await this.notifications.countsSince(tx, callable, this.now() - DAY_MS, ONCALL_SOURCES)
        : new Map<string, number>();
      const out: (PageOutcome | EnqueueInput)[] = items.map((item) => {
        const user = users.get(emailKey(item.email));
        if (!user) return { status: 'user-not-found' };
        const refused = this.refusal(item.kind, user);
        if (refused) return refused;
        const limit = this.limitOf(item.kind);
        if (limit > 0 && used(counts, user.id, item.kind) >= limit) return { status: 'limit-exceeded', limit };
        const key = `${user.id}:${item.kind}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return { kind: item.kind, source: item.source, userId: user.id, email: user.email, message: item.message };
      });
      const toStore = out.filter((o): o is EnqueueInput => !('status' in o));
      const stored = await this.notifications.insertManyIn(tx, toStore);
      let k = 0;
      return out.map((o) => ('status' in o ? o : { status: 'accepted', notification: stored[k++] }));
    });
  }
}

/** This person's pages of the same daily class as `kind`, from per (user, kind) counts. */
function used(counts: Map<string, number>, userId: number, kind: NotificationKind): number {
  return DAILY_KINDS[dailyClass(kind)].reduce((n, k) => n + (counts.get(`${userId}:${k}`) ?? 0), 0);
}
