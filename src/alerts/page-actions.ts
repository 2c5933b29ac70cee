/**
 * What the phone menu and the acknowledge links do to an alert: the person who pressed acts on
 * the alert behind the page, through the service (timeline, audit, stopping the escalation).
 * Digit 3 offers the members of the alert's team; the one chosen becomes the owner and is paged.
 */
import type { Notification } from '../db/notifications-repo';
import type { ActionName, ActionResult } from '../oncall/actions';
import type { Spoken } from '../oncall/words';
import type { AlertPageActions, HandOverOffer } from '../ivr/alert-pages';
import type { Lang, User } from '../directory/user';
import type { AlertsService, ActionParams } from './service';
import type { Alert, AlertActor } from './types';
import { handOverMenuText, handedOverSpeech } from './speech';

type Outcome = Omit<ActionResult, 'action'>;

/** The members of a team (by id or name) as the directory has them; none when the team is gone. */
export interface TeamMembers {
  membersOf(teamRef: string): Promise<User[]>;
}

/** Pages the chosen person now about the alert; false when it is no longer open and unacknowledged. */
export interface HandOverPager {
  pageNow(alertId: string, person: User, by: string): Promise<boolean>;
}

/** One phone key per person: 1 to 9. */
const MAX_CHOICES = 9;

const SAID: Record<ActionName, { done: Spoken; already: Spoken }> = {
  acknowledge: {
    done: { en: 'The alert is acknowledged; it is yours.', ru: 'Алерт подтверждён, он ваш.' },
    already: { en: 'The alert was already acknowledged.', ru: 'Алерт уже был подтверждён.' },
  },
  resolve: {
    done: { en: 'The alert is closed.', ru: 'Алерт закрыт.' },
    already: { en: 'The alert was already closed.', ru: 'Алерт уже был закрыт.' },
  },
  escalate: {
    done: { en: 'The alert is escalated to the next step.', ru: 'Алерт передан на следующий шаг.' },
    already: { en: 'There is no next step to escalate to.', ru: 'Следующего шага эскалации нет.' },
  },
  reassign: {
    done: { en: 'The alert is handed over.', ru: 'Алерт передан.' },
    already: { en: 'There is nobody else to hand it to.', ru: 'Передать алерт некому.' },
  },
};

const FAILED: Spoken = { en: 'Sorry, that failed; the alert is unchanged.', ru: 'Извините, не получилось; алерт не изменён.' };

export function alertIdOf(n: Pick<Notification, 'payload'>): string | null {
  const p = n.payload as { alertId?: unknown } | null;
  return p && typeof p.alertId === 'string' ? p.alertId : null;
}

export class AlertPageActor implements AlertPageActions {
  constructor(
    private readonly service: AlertsService,
    private readonly users: { getById(id: number): Promise<User | null> },
    private readonly teams: TeamMembers,
    private readonly pager: HandOverPager,
  ) {}

  /** The members of the alerts' teams other than the caller, each with a digit, in the team's order. */
  async handOverOffer(pages: readonly Notification[], actor: AlertActor, lang: Lang): Promise<HandOverOffer> {
    const alerts = await this.alertsOf(pages);
    if (!alerts) return { kind: 'answer', result: { status: 'failed', spoken: FAILED, detail: 'the page names no alert that exists' } };
    const teams = [...new Set(alerts.map((a) => a.team).filter((t): t is string => t !== null))];
    if (teams.length === 0) return { kind: 'plan' };
    const seen = new Set<number>();
    const others: User[] = [];
    for (const team of teams)
      for (const u of await this.teams.membersOf(team)) {
        if (seen.has(u.id) || sameEmail(u.email, actor.email)) continue;
        seen.add(u.id);
        others.push(u);
      }
    if (others.length === 0)
      return {
        kind: 'answer',
        result: { status: 'already', spoken: SAID.reassign.already, detail: `nobody else in team ${teams.join(', ')}` },
      };
    const choices = others.slice(0, MAX_CHOICES).map((u, i) => ({ digit: String(i + 1), userId: u.id, name: u.name }));
    return { kind: 'choose', choices, text: handOverMenuText(choices, lang) };
  }

  /** Assigns every alert of the call to the person chosen, and pages them now about each still unacknowledged. */
  async handOver(pages: readonly Notification[], actor: AlertActor, userId: number): Promise<Outcome> {
    const alerts = await this.alertsOf(pages);
    const to = await this.users.getById(userId);
    if (!alerts || !to) return { status: 'failed', spoken: FAILED, detail: alerts ? `person #${userId} is gone` : 'no alert' };
    const done: string[] = [];
    let paged = false;
    for (const a of alerts) {
      const ref = { identifier: a.id, type: 'id' as const };
      const note = `${actor.name} handed the alert over on the phone to ${to.name}`;
      const r = await this.service.act(actor, ref, { action: 'assign', owner: to.email, note });
      if (!r.success) continue;
      const pagedNow = await this.pager.pageNow(a.id, to, actor.name);
      paged ||= pagedNow;
      done.push(`alert #${a.tinyId}: assigned to ${to.email}${pagedNow ? ', paged' : ''}`);
    }
    if (done.length === 0) return { status: 'failed', spoken: FAILED, detail: 'no alert could be assigned' };
    return { status: 'done', spoken: handedOverSpeech(to.name, paged), detail: done.join('; ') };
  }

  private async alertsOf(pages: readonly Notification[]): Promise<Alert[] | null> {
    const ids = [...new Set(pages.map(alertIdOf).filter((x): x is string => x !== null))];
    const out: Alert[] = [];
    for (const id of ids) {
      const a = await this.service.get({ identifier: id, type: 'id' });
      if (a) out.push(a);
    }
    return out.length ? out : null;
  }

  async act(action: ActionName, pages: readonly Notification[], actor: AlertActor): Promise<Outcome> {
    const ids = [...new Set(pages.map(alertIdOf).filter((x): x is string => x !== null))];
    if (ids.length === 0) return { status: 'failed', spoken: FAILED, detail: 'the page names no alert' };
    const parts: Outcome[] = [];
    for (const id of ids) parts.push(await this.one(action, id, actor));
    const worst = parts.find((p) => p.status === 'failed') ?? parts.find((p) => p.status === 'already') ?? parts[0];
    return { ...worst, detail: parts.map((p) => p.detail).join('; ') };
  }

  private async one(action: ActionName, alertId: string, actor: AlertActor): Promise<Outcome> {
    const ref = { identifier: alertId, type: 'id' as const };
    const alert = await this.service.get(ref);
    if (!alert) return { status: 'failed', spoken: FAILED, detail: `alert ${alertId} does not exist` };
    const to = action === 'reassign' ? await this.nextPerson(alert, actor) : null;
    if (action === 'reassign' && !to) return { status: 'already', spoken: SAID.reassign.already, detail: 'nobody else in the plan' };
    const params: ActionParams =
      action === 'acknowledge' ? { action: 'acknowledge' } : action === 'resolve' ? { action: 'close' } : { action: 'escalate' };
    const r = await this.service.act(actor, ref, params);
    // Handing over pages the next person now and names them the owner.
    if (to && r.success) await this.service.act(actor, ref, { action: 'assign', owner: to.email, note: `handed over to ${to.name}` });
    const changed = r.success && !/already|not acknowledged/i.test(r.status);
    const status = changed ? 'done' : r.success || action === 'escalate' ? 'already' : 'failed';
    const spoken = status === 'done' ? SAID[action].done : status === 'already' ? SAID[action].already : FAILED;
    return { status, spoken, detail: `alert #${alert.tinyId}: ${r.status}` };
  }

  /** Someone in the rest of the plan other than the caller: an alert without a team has nobody else to offer. */
  private async nextPerson(a: Alert, actor: AlertActor): Promise<User | null> {
    for (const step of a.plan.slice(a.nextStep)) {
      for (const id of step.userIds) {
        const u = await this.users.getById(id);
        if (u && !sameEmail(u.email, actor.email)) return u;
      }
    }
    return null;
  }
}

const sameEmail = (a: string, b: string | undefined) => a.toLowerCase() === b?.toLowerCase();
