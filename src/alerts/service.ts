/**
 * The one place alerts change: create (or deduplicate by alias), acknowledge, close, note,
 * escalate, assign, snooze. The Opsgenie API, the phone menu, the acknowledge links and the
 * console call it with who acts; each change, its timeline line and its audit entry are written
 * in one transaction. Acknowledging or closing ends the escalation in that same write, and the
 * pages already queued for the alert are cancelled right after.
 */
import type { Db, Tx } from '../db/knex';
import type { AuditLog } from '../audit/repo';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { AlertsRepo, type AlertChange, type AlertFilter, type AlertPage } from './repo';
import type { ResponderResolver } from './responders';
import type { Alert, AlertActor, AlertEvent, AlertIdentifier, AlertInput, RequestOutcome } from './types';
import { routeTeam, type Integration } from './integrations';

export interface AlertsServiceOptions {
  db: Db;
  audit: AuditLog;
  clock: Clock;
  resolver: ResponderResolver;
  logger: Logger;
  /** A step became due now (a new alert, an escalation): the runner looks at once instead of at its next sweep. */
  onDue: () => void;
  /** Cancels the alert's pages that have not been delivered yet (it was acknowledged or closed). */
  stopPages: (alertId: string, why: string) => Promise<void>;
}

/** Opsgenie stops counting (and logging) repeats after 100 occurrences; deduplication itself continues. */
const DEDUP_LOGGED = 100;

export type ActionParams =
  | { action: 'acknowledge' | 'unacknowledge' | 'close'; note?: string }
  | { action: 'note'; note: string }
  | { action: 'escalate'; note?: string }
  | { action: 'assign'; owner: string; note?: string }
  | { action: 'snooze'; endTime: number; note?: string }
  | { action: 'update'; field: 'message' | 'description' | 'priority'; value: string; note?: string };

const ACTION_NAME: Record<ActionParams['action'], string> = {
  acknowledge: 'Acknowledge',
  unacknowledge: 'UnAcknowledge',
  close: 'Close',
  note: 'AddNote',
  escalate: 'EscalateToNext',
  assign: 'Assign',
  snooze: 'Snooze',
  update: 'Update',
};

type Write = { repo: AlertsRepo; audit: (action: string, a: Alert, detail?: Record<string, unknown>) => Promise<void> };

export class AlertsService {
  private readonly log: Logger;

  constructor(private readonly o: AlertsServiceOptions) {
    this.log = o.logger.child({ mod: 'alerts' });
  }

  get repo(): AlertsRepo {
    return new AlertsRepo(this.o.db, () => this.o.clock.now());
  }

  /** A create: a new alert with its escalation plan, or, for an open alert with the same alias, one more occurrence. */
  async create(actor: AlertActor, integration: Integration | null, input: AlertInput): Promise<{ alert: Alert; deduplicated: boolean }> {
    const alias = input.alias ?? '';
    const repeat = alias ? await this.deduplicate(actor, alias, input) : null;
    if (repeat) return { alert: repeat, deduplicated: true };
    const team = routeTeam(integration, input);
    const plan = await this.o.resolver.plan(input.responders ?? [], team, this.o.clock.now());
    const created = await this.write(actor, async ({ repo, audit }) => {
      // Another create with this alias may have committed while the plan was being made.
      const again = alias ? await repo.openByAlias(alias) : null;
      if (again) return { alert: await this.countRepeat(repo, audit, actor, again, input), deduplicated: true };
      const first = plan.steps[0];
      const a = await repo.insert({
        message: input.message,
        alias,
        description: input.description ?? '',
        responders: input.responders ?? [],
        visibleTo: input.visibleTo ?? [],
        actions: input.actions ?? [],
        tags: input.tags ?? [],
        details: input.details ?? {},
        entity: input.entity ?? '',
        source: input.source ?? '',
        priority: input.priority ?? 'P3',
        requestedBy: input.user ?? '',
        integrationId: integration?.id ?? null,
        team: plan.teamId ?? team,
        plan: plan.steps,
        nextStepAt: first ? this.o.clock.now() + first.afterMs : null,
      });
      await repo.addEvent(a.id, 'created', actor.name, `${a.priority} ${a.message}`);
      if (input.note) await repo.addEvent(a.id, 'note', actor.name, input.note);
      if (plan.unresolved.length) await repo.addEvent(a.id, 'unresolved', actor.name, `nobody found for ${plan.unresolved.join(', ')}`);
      if (!first) await repo.addEvent(a.id, 'unresolved', actor.name, 'nobody to page: no responder and no team matched');
      await audit('alert.create', a, { priority: a.priority, steps: plan.steps.length, unresolved: plan.unresolved });
      return { alert: a, deduplicated: false };
    });
    if (!created.deduplicated) {
      this.log.info({ alert: created.alert.tinyId, steps: plan.steps.length }, 'alert created');
      this.o.onDue();
    }
    return created;
  }

  async act(actor: AlertActor, id: AlertIdentifier, p: ActionParams): Promise<RequestOutcome & { alert: Alert | null }> {
    const action = ACTION_NAME[p.action];
    const r = await this.write(actor, async ({ repo, audit }) => {
      const a = await repo.get(id);
      if (!a) return { alert: null, ok: false, status: 'Alert does not exist' };
      const [ok, status, change] = this.decide(a, actor, p);
      if (change) await repo.update(a.id, change);
      const kind = p.action === 'note' ? 'note' : ok && change ? eventKind(p.action) : null;
      if (kind) await repo.addEvent(a.id, kind, actor.name, eventText(p, status));
      if (p.note && p.action !== 'note') await repo.addEvent(a.id, 'note', actor.name, p.note);
      if (kind) await audit(`alert.${p.action}`, a, p.action === 'assign' ? { owner: p.owner } : undefined);
      const after = change ? await repo.get({ identifier: a.id, type: 'id' }) : a;
      return { alert: after, ok, status };
    });
    const a = r.alert;
    if (a && r.ok && (p.action === 'acknowledge' || p.action === 'close')) {
      await this.o.stopPages(a.id, `${p.action === 'close' ? 'closed' : 'acknowledged'} by ${actor.name}`);
    }
    if (a && r.ok && (p.action === 'escalate' || p.action === 'unacknowledge')) this.o.onDue();
    if (a) this.log.info({ alert: a.tinyId, action: p.action, ok: r.ok }, 'alert action');
    return { success: r.ok, action, status: r.status, alertId: a?.id ?? '', alias: a?.alias ?? '', alert: a };
  }

  get(id: AlertIdentifier): Promise<Alert | null> {
    return this.repo.get(id);
  }

  list(f: AlertFilter, p: AlertPage): Promise<Alert[]> {
    return this.repo.list(f, p);
  }

  count(f: AlertFilter): Promise<number> {
    return this.repo.count(f);
  }

  events(alertId: string): Promise<AlertEvent[]> {
    return this.repo.events(alertId);
  }

  /** What an action changes, and the status text the request reports; pure on the alert as read. */
  private decide(a: Alert, actor: AlertActor, p: ActionParams): [boolean, string, AlertChange | null] {
    const now = this.o.clock.now();
    const who = actor.email ?? actor.name;
    if (a.status === 'closed' && p.action !== 'note') return [false, 'Alert is already closed', null];
    switch (p.action) {
      case 'acknowledge':
        if (a.acknowledged) return [true, 'Alert is already acknowledged', null];
        return [true, 'Acknowledged', { acknowledged: true, owner: who, ackedBy: who, ackedAt: now, nextStepAt: null }];
      case 'unacknowledge':
        if (!a.acknowledged) return [true, 'Alert is not acknowledged', null];
        // Escalation resumes where it stopped: whoever held it let it go.
        return [true, 'Unacknowledged', { acknowledged: false, owner: '', nextStepAt: a.nextStep < a.plan.length ? now : null }];
      case 'close':
        return [true, 'Closed alert', { status: 'closed', closedBy: who, closedAt: now, nextStepAt: null }];
      case 'note':
        return [true, 'Added note', null];
      case 'escalate':
        if (a.nextStep >= a.plan.length) return [false, 'There is no next escalation step', null];
        // Escalating hands the alert on: it is no longer held by whoever acknowledged it.
        return [true, 'Escalated to next', { acknowledged: false, owner: '', nextStepAt: now }];
      case 'assign':
        return [true, 'Assigned', { owner: p.owner }];
      case 'snooze':
        // The escalation waits for the snooze to end; nothing pages in between.
        return [true, 'Snoozed', { snoozedUntil: p.endTime, nextStepAt: a.nextStepAt === null ? null : Math.max(a.nextStepAt, p.endTime) }];
      case 'update':
        // Alertmanager's update_alerts: the text follows the group; the escalation is unchanged.
        return [true, `Updated ${p.field}`, { [p.field]: p.value } as AlertChange];
    }
  }

  private async deduplicate(actor: AlertActor, alias: string, input: AlertInput): Promise<Alert | null> {
    if (!(await this.repo.openByAlias(alias))) return null;
    return this.write(actor, async ({ repo, audit }) => {
      const open = await repo.openByAlias(alias);
      return open ? this.countRepeat(repo, audit, actor, open, input) : null;
    });
  }

  /** The fields stay as first sent (Alertmanager's documented behaviour); only the count and last occurrence move. */
  private async countRepeat(repo: AlertsRepo, audit: Write['audit'], actor: AlertActor, a: Alert, input: AlertInput): Promise<Alert> {
    const count = a.count < DEDUP_LOGGED ? a.count + 1 : a.count;
    await repo.update(a.id, { count, lastOccurredAt: this.o.clock.now() });
    if (a.count < DEDUP_LOGGED) {
      await repo.addEvent(a.id, 'deduplicated', actor.name, `occurred again (${count} times): ${input.message}`);
      await audit('alert.deduplicate', a, { count });
    }
    return (await repo.get({ identifier: a.id, type: 'id' }))!;
  }

  private write<T>(actor: AlertActor, fn: (w: Write) => Promise<T>): Promise<T> {
    return this.o.db.transaction((tx: Tx) =>
      fn({
        repo: new AlertsRepo(tx, () => this.o.clock.now()),
        audit: (action, a, detail) =>
          this.o.audit.record({ actor: actor.name, action, target: `alert #${a.tinyId} ${a.alias}`, detail }, tx),
      }),
    );
  }
}

function eventKind(action: ActionParams['action']): AlertEvent['kind'] {
  const kinds = {
    acknowledge: 'acknowledged',
    unacknowledge: 'unacknowledged',
    close: 'closed',
    note: 'note',
    escalate: 'escalated',
    assign: 'assigned',
    snooze: 'snoozed',
    update: 'updated',
  } as const;
  return kinds[action];
}

function eventText(p: ActionParams, status: string): string {
  if (p.action === 'note') return p.note;
  if (p.action === 'assign') return `assigned to ${p.owner}`;
  if (p.action === 'snooze') return `snoozed until ${new Date(p.endTime).toISOString()}`;
  if (p.action === 'update') return `${p.field} set to ${p.value}`;
  return status;
}
