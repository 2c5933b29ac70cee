/**
 * The SMS and push path of the dispatch engine (docs/senders.md). Each row goes out over the
 * person's senders with a signed acknowledge link. Repeat SMS to one person within two
 * minutes of the last are bundled into one, as OnCall's cloud did; a new incident waits at
 * most 20 s and is never held by the per-person allowance (src/limits/text.ts). A temporary
 * failure is retried with backoff, a permanent one moves to the next sender; every row ends
 * delivered or failed.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';
import { errorMessage, isTemporary } from '../core/errors';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { User } from '../directory/user';
import type { Sender, SenderSet, OutboundMessage, Priority } from '../senders';
import { checkSend, textHold, TEXT_BUNDLE_MS, Limits } from '../limits';
import { composeSms, pushTitle } from './message-text';

export const MESSAGE_KINDS = ['sms', 'push'] as const;
const MAX_TRIES = 5;
/** Pages claimed into one SMS at most: the text names 3 of them and counts the rest. */
const BUNDLE_MAX = 50;
const HOUR = 60 * 60_000;

export interface MessageEngineDeps {
  repo: NotificationsRepo;
  users: UsersRepo;
  senders: SenderSet;
  ackUrl: ((n: Notification) => string) | null;
  /** Finds the alert group of a page that does not name one (so its SMS/push can carry an ack link). */
  correlate?: (n: Notification, signal: AbortSignal) => Promise<{ alertGroupId: string | null; correlation: 'exact' | 'matched' | 'none' }>;
  /** Where a bundle's "and N more" points: this person's recent text pages in the console. */
  listUrl?: (user: User) => string;
  limits: Limits;
  clock: Clock;
  logger: Logger;
  observe?: (e: { type: 'message-finished'; kind: string; state: 'delivered' | 'failed'; outcome: string }) => void;
}

export class MessageEngine {
  private readonly busy = new Set<number>();
  private readonly running = new Set<Promise<void>>();
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private sweep: TimerHandle | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: MessageEngineDeps,
    private readonly opts: { instanceId: string; leaseMs?: number; sweepMs?: number; concurrency?: number },
  ) {}

  start(subscribe?: (fn: (n: Notification) => void) => () => void): void {
    this.stopped = false;
    if (subscribe) this.unsubscribe = subscribe((n) => (MESSAGE_KINDS as readonly string[]).includes(n.kind) && this.kick());
    const loop = () => {
      if (this.stopped) return;
      this.sweep = this.deps.clock.setTimeout(() => {
        this.kick();
        loop();
      }, this.opts.sweepMs ?? 2_000);
    };
    loop();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.sweep?.cancel();
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.ticking || this.running.size) await Promise.allSettled([this.ticking, ...this.running]);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.round()
      .catch((e: unknown) => this.deps.logger.error({ err: errorMessage(e) }, 'message claim round failed; the sweep retries'))
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async round(): Promise<void> {
    const owner = this.opts.instanceId;
    const leaseMs = this.opts.leaseMs ?? 60_000;
    while (!this.stopped && this.running.size < (this.opts.concurrency ?? 8)) {
      const [row] = await this.deps.repo.claim({
        owner,
        kinds: MESSAGE_KINDS,
        leaseMs,
        limit: 1,
        excludeUserIds: [...this.busy].filter((k) => k > 0),
      });
      if (!row) return;
      if (row.userId !== null && this.busy.has(row.userId)) {
        await this.deps.repo.release(row.id, owner, this.deps.clock.now() + 1_000);
        continue;
      }
      const key = row.userId ?? -row.id;
      this.busy.add(key);
      const p = this.handle(row)
        .catch((e: unknown) =>
          this.deps.logger.error({ err: errorMessage(e), notification: row.id }, 'message handling failed; the lease expiry retries it'),
        )
        .finally(() => {
          this.busy.delete(key);
          this.running.delete(p);
          this.kick();
        });
      this.running.add(p);
    }
  }

  private async handle(row: Notification): Promise<void> {
    const { repo, clock } = this.deps;
    const owner = this.opts.instanceId;
    if (row.userId === null) {
      const device = (row.payload as { device?: string } | null)?.device;
      return this.finish([row], 'failed', 'unrouted', device ? `no person has contacts.fcm_device = ${device}` : 'no person to deliver to');
    }
    const user = await this.deps.users.getById(row.userId);
    if (!user) return this.finish([row], 'failed', 'no-user', 'the person was removed from the directory');
    const kind = row.kind as 'sms' | 'push';
    let rows = [row];
    if (kind === 'sms')
      rows = [
        row,
        ...(await repo.claim({ owner, kinds: ['sms'], leaseMs: this.opts.leaseMs ?? 60_000, limit: BUNDLE_MAX - 1, userId: user.id })),
      ];
    // Newest first: a bundle names its first few alerts, and the latest incident is the one to see.
    rows = (await Promise.all(rows.map((r) => this.withAlertGroup(r)))).sort((a, b) => b.receivedAt - a.receivedAt || b.id - a.id);
    if (kind === 'sms') {
      const rules = this.deps.limits.perUser.sms;
      const since = clock.now() - Math.max(TEXT_BUNDLE_MS, ...rules.map((r) => r.windowMs));
      const hold = textHold({ rules, pages: rows, history: await repo.textHistory(user.id, since), now: clock.now() });
      if (hold) {
        if (hold.kind === 'repeat') this.deps.logger.warn({ notification: row.id, reason: hold.reason }, 'rate limited; sending later');
        for (const r of rows) await repo.release(r.id, owner, hold.until);
        return;
      }
    }
    const to = { phone: user.phone, contacts: user.contacts, email: user.email, name: user.name };
    const senders = this.deps.senders.forRecipient(kind, to);
    if (senders.length === 0)
      return this.finish(
        rows,
        'failed',
        'no-sender',
        kind === 'sms'
          ? user.phone
            ? 'no SMS sender is configured'
            : 'the person has no phone number'
          : 'no push sender has an address for this person (contacts)',
      );
    const blocked = checkSend(this.deps.limits, {
      channel: kind,
      now: clock.now(),
      // The per-person SMS allowance was applied above, to repeats only.
      userSends: kind === 'sms' ? [] : await repo.sendTimes(kind, clock.now() - HOUR, user.id),
      globalSends: await repo.sendTimes('', clock.now() - HOUR),
    });
    if (!blocked.allowed) {
      this.deps.logger.warn({ notification: row.id, reason: blocked.reason }, 'rate limited; sending later');
      for (const r of rows) await repo.release(r.id, owner, blocked.waitUntil);
      return;
    }
    await this.deliver(user, kind, rows, senders);
  }

  private async withAlertGroup(n: Notification): Promise<Notification> {
    if (n.alertGroupId || n.correlation || !this.deps.correlate) return n;
    try {
      const c = await this.deps.correlate(n, AbortSignal.timeout(2_000));
      await this.deps.repo.setCorrelation(n.id, c.alertGroupId, c.correlation);
      return { ...n, alertGroupId: c.alertGroupId, correlation: c.correlation };
    } catch (e) {
      this.deps.logger.warn({ notification: n.id, err: errorMessage(e) }, 'could not correlate; sending without an acknowledge link');
      return n;
    }
  }

  private async deliver(user: User, kind: 'sms' | 'push', rows: Notification[], senders: Sender[]): Promise<void> {
    const { repo, clock } = this.deps;
    const callId = randomUUID();
    const msg: OutboundMessage = {
      to: { phone: user.phone, contacts: user.contacts, email: user.email, name: user.name },
      text: kind === 'sms' ? composeSms(rows, { lang: user.lang, listUrl: this.deps.listUrl?.(user) }) : rows[0].message,
      title: kind === 'push' ? pushTitle(rows[0]) : undefined,
      priority: priorityOf(rows[0]),
      ackUrl: rows[0].alertGroupId && this.deps.ackUrl ? this.deps.ackUrl(rows[0]) : undefined,
      alertGroupId: rows[0].alertGroupId ?? undefined,
    };
    const failures: string[] = [];
    let sent = 0;
    let temporary = false;
    for (const sender of senders) {
      const attemptIds = await Promise.all(
        rows.map((r) =>
          repo.startAttempt({ notificationId: r.id, channel: `${kind}:${sender.name}`, instance: this.opts.instanceId, callId }),
        ),
      );
      try {
        const receipt = await sender.send(msg, AbortSignal.timeout(15_000));
        await Promise.all(
          attemptIds.map((id) =>
            repo.updateAttempt(id, { endedAt: clock.now(), outcome: 'sent', result: receipt.id ? `id ${receipt.id}` : 'sent' }),
          ),
        );
        sent++;
        this.deps.logger.info({ notification: rows.map((r) => r.id), sender: sender.name, to: maskEmail(user.email) }, `${kind} sent`);
        if (kind === 'sms') break; // one SMS route is enough; every push app gets the push
      } catch (e) {
        const temp = isTemporary(e);
        temporary ||= temp;
        failures.push(`${sender.name}: ${errorMessage(e)}`);
        await Promise.all(
          attemptIds.map((id) =>
            repo.updateAttempt(id, {
              endedAt: clock.now(),
              outcome: temp ? 'temporary-failure' : 'failed',
              cause: errorMessage(e).slice(0, 64),
              result: errorMessage(e),
            }),
          ),
        );
      }
    }
    if (sent > 0)
      return this.finish(rows, 'delivered', 'sent', failures.length ? `sent; also failed: ${failures.join('; ')}` : `sent by ${kind}`);
    const tries = rows[0].attempts + 1;
    if (temporary && tries < MAX_TRIES) {
      const delay = Math.min(30_000 * 2 ** (tries - 1), 10 * 60_000);
      for (const r of rows) await repo.reschedule(r.id, this.opts.instanceId, clock.now() + delay, failures.join('; '));
      return;
    }
    await this.finish(rows, 'failed', 'not-delivered', `${failures.join('; ')}${temporary ? ` (gave up after ${tries} tries)` : ''}`);
  }

  private async finish(rows: Notification[], state: 'delivered' | 'failed', outcome: string, reason: string): Promise<void> {
    for (const r of rows) {
      if (await this.deps.repo.finish(r.id, this.opts.instanceId, state, outcome, reason))
        this.deps.observe?.({ type: 'message-finished', kind: r.kind, state, outcome });
    }
  }
}

function priorityOf(n: Notification): Priority {
  const type = (n.payload as { data?: { type?: string } } | null)?.data?.type;
  if (type === 'oncall.critical_message') return 'urgent';
  if (type === 'oncall.info') return 'normal';
  return n.source === 'heartbeat' || n.source === 'voice-fallback' ? 'urgent' : 'high';
}
