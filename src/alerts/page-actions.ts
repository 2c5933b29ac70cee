/**
 * What the phone menu and the acknowledge links do to an alert: the person who pressed acts on
 * the alert behind the page, through the service (timeline, audit, stopping the escalation).
 */
import type { Notification } from '../db/notifications-repo';
import type { ActionName, ActionResult } from '../oncall/actions';
import type { Spoken } from '../oncall/words';
import type { AlertPageActions } from '../ivr/alert-pages';
import type { User } from '../directory/user';
import type { AlertsService, ActionParams } from './service';
import type { Alert, AlertActor } from './types';

type Outcome = Omit<ActionResult, 'action'>;

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
  ) {}

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

  /** Someone in the rest of the plan other than the caller; the teams module will offer the team's members. */
  private async nextPerson(a: Alert, actor: AlertActor): Promise<User | null> {
    for (const step of a.plan.slice(a.nextStep)) {
      for (const id of step.userIds) {
        const u = await this.users.getById(id);
        if (u && u.email.toLowerCase() !== actor.email?.toLowerCase()) return u;
      }
    }
    return null;
  }
}
