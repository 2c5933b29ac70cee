/**
 * Runs the alerts' escalation plans. The next step's due time is stored on the alert, so a
 * restart (or another instance taking over the cluster lease) picks up where the last one
 * stopped; each step is claimed with a conditional update and its pages are queued in the same
 * transaction, so a step runs once and is never half-paged. Acknowledged, closed and snoozed
 * alerts have no due step, which is what stops the escalation.
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import { maskEmail } from '../core/mask';
import type { Db, Tx } from '../db/knex';
import { NotificationsRepo, type Notification, type NotificationKind } from '../db/notifications-repo';
import type { User } from '../directory/user';
import { firstUsableKind } from '../dispatch/direct-pager';
import { AlertsRepo } from './repo';
import type { Alert, Priority } from './types';
import type { AlertChannel } from './config';
import { ALERT_SOURCE } from '../ivr/alert-pages';

export interface EscalatorOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  users: { getById(id: number): Promise<User | null> };
  channels: Record<Priority, AlertChannel>;
  /** After commit: the engines start on the new pages at once. */
  onEnqueued: (n: Notification) => void;
  /** Longest wait between looks at the table: steps made due by another instance are found within it. */
  sweepMs?: number;
}

const BATCH = 50;

/** `alert:<alert id>:<step>:<user id>:<kind>`: the page taker reads the event (`alert:<id>:<step>`) from it. */
export const alertPagePrefix = (alertId: string) => `alert:${alertId}:`;

export class AlertEscalator {
  private running = false;
  private timer: TimerHandle | null = null;
  private busy: Promise<void> | null = null;
  private again = false;
  private readonly log: Logger;
  private readonly sweepMs: number;

  constructor(private readonly o: EscalatorOptions) {
    this.log = o.logger.child({ mod: 'alert-escalation' });
    this.sweepMs = o.sweepMs ?? 5_000;
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    await this.busy;
  }

  /** Resolves when no look is under way (shutdown, tests on a fake clock). */
  async idle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  /** Look now; a look already under way looks once more when it ends. */
  kick(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.timer?.cancel();
    this.timer = null;
    this.busy = this.runDue()
      .catch((e: unknown) => this.log.error({ err: errorMessage(e) }, 'escalation sweep failed; retrying at the next sweep'))
      .then(() => this.schedule());
  }

  /** Pages every step that is due now; returns how many ran. */
  async runDue(): Promise<number> {
    const repo = new AlertsRepo(this.o.db, () => this.o.clock.now());
    let ran = 0;
    for (;;) {
      const due = await repo.due(this.o.clock.now(), BATCH);
      for (const a of due) if (await this.step(a)) ran++;
      if (due.length < BATCH) return ran;
    }
  }

  private async schedule(): Promise<void> {
    this.busy = null;
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      return this.kick();
    }
    let wait = this.sweepMs;
    try {
      const next = await new AlertsRepo(this.o.db, () => this.o.clock.now()).nextDueAt();
      if (next !== null) wait = Math.min(wait, Math.max(0, next - this.o.clock.now()));
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'could not read the next due step; sweeping later');
    }
    if (this.running && !this.busy) this.timer = this.o.clock.setTimeout(() => this.kick(), wait);
  }

  private async step(a: Alert): Promise<boolean> {
    const index = a.nextStep;
    const step = a.plan[index];
    const now = this.o.clock.now();
    const following = a.plan[index + 1];
    // Delays are kept relative to this step, so "escalate to next" shifts the rest of the plan with it.
    const nextStepAt = following && step ? now + Math.max(0, following.afterMs - step.afterMs) : null;
    const people: User[] = [];
    for (const id of step?.userIds ?? []) {
      const u = await this.o.users.getById(id);
      if (u) people.push(u);
    }
    const queued = await this.o.db.transaction(async (tx: Tx) => {
      const repo = new AlertsRepo(tx, () => this.o.clock.now());
      const claimed = await repo.update(
        a.id,
        { nextStep: index + 1, nextStepAt },
        { nextStep: index, status: 'open', acknowledged: false },
      );
      if (!claimed || !step) return null;
      await repo.addEvent(a.id, 'step', 'escalation', `step ${index + 1} of ${a.plan.length}: ${step.label}`);
      const out: Notification[] = [];
      for (const u of people) {
        const kind = this.kindFor(a.priority, u);
        if (!kind) {
          await repo.addEvent(a.id, 'unresolved', 'escalation', `${u.name} has no channel that can reach them`);
          continue;
        }
        const n = await new NotificationsRepo(tx, () => this.o.clock.now()).insertIn(tx, {
          kind,
          source: ALERT_SOURCE,
          userId: u.id,
          email: u.email,
          message: pageText(a),
          payload: { alertId: a.id },
          dedupeKey: `${alertPagePrefix(a.id)}${index}:${u.id}:${kind}`,
        });
        await repo.addEvent(a.id, 'paged', 'escalation', `${u.name}: ${kind}`, n.id);
        out.push(n);
      }
      for (const id of step.userIds)
        if (!people.some((p) => p.id === id))
          await repo.addEvent(a.id, 'unresolved', 'escalation', `person #${id} is no longer in the directory`);
      return out;
    });
    if (!queued) return false;
    for (const n of queued) this.o.onEnqueued(n);
    this.log.info({ alert: a.tinyId, step: index + 1, paged: queued.map((n) => maskEmail(n.email)) }, 'escalation step paged');
    return true;
  }

  /** The priority's channel when the person can get it, else the first of theirs that can reach them. */
  private kindFor(priority: Priority, u: User): NotificationKind | null {
    const want = this.o.channels[priority];
    const usable: Record<AlertChannel, boolean> = {
      call: u.phone !== null && u.channels.includes('voice'),
      sms: u.phone !== null && (u.channels.includes('sms') || u.channels.includes('voice')),
      push: u.channels.includes('push'),
    };
    return usable[want] ? want : firstUsableKind(u);
  }
}

/** What SMS and push carry (calls read the alert afresh, see speech.ts). */
export function pageText(a: Alert): string {
  const where = a.entity ? ` (${a.entity})` : '';
  return `dozvon alert #${a.tinyId} ${a.priority}: ${a.message}${where}`.slice(0, 1024);
}

/** Cancels the alert's pages nobody has started on (a call under way finishes on its own). */
export async function cancelAlertPages(
  notifications: Pick<NotificationsRepo, 'findByDedupePrefix' | 'cancelPending'>,
  alertId: string,
  why: string,
): Promise<number> {
  let n = 0;
  for (const p of await notifications.findByDedupePrefix(alertPagePrefix(alertId)))
    if (p.state === 'pending' && (await notifications.cancelPending(p.id, 'alert-settled', why))) n++;
  return n;
}
