/**
 * The steps of a test call or message, in words: the live progress bus (dialing, ringing,
 * answered, each digit, the action, the end) when this instance placed the call, otherwise what
 * the attempt rows recorded. The progress page and its event stream show the same list, and the
 * list only grows, so the stream can send "everything after step n".
 */
import type { Attempt, Notification } from '../../db/notifications-repo';
import type { CallProgressEvent } from '../../ivr/call-progress';
import type { Words as Translate } from './texts';

export interface Step {
  at: number;
  text: string;
  tone: '' | 'good' | 'bad' | 'warn';
}

export const FINISHED = ['delivered', 'failed', 'cancelled'] as const;

export function isFinished(n: Pick<Notification, 'state'>): boolean {
  return (FINISHED as readonly string[]).includes(n.state);
}

export function stepsOf(t: Translate, n: Notification, events: CallProgressEvent[], attempts: Attempt[]): Step[] {
  const steps: Step[] = [{ at: n.receivedAt, text: t('step.queued'), tone: '' }];
  if (n.kind === 'call') {
    // Live events are complete and timed; attempts stand in only once it is over (another instance, a restart).
    if (events.length) for (const e of events) steps.push(callStep(t, e));
    else if (isFinished(n)) for (const a of attempts) steps.push(...attemptCallSteps(t, a));
    return steps;
  }
  for (const a of attempts) {
    const sender = a.channel.replace(/^(sms|push):/, '');
    steps.push({ at: a.startedAt, text: t('step.sending', { sender }), tone: '' });
    if (a.endedAt !== null) {
      const ok = a.outcome === 'sent';
      steps.push({
        at: a.endedAt,
        text: t(ok ? 'step.sent' : 'step.sendFailed', { sender, result: a.result ?? a.outcome ?? '' }),
        tone: ok ? 'good' : 'bad',
      });
    }
  }
  return steps;
}

function callStep(t: Translate, e: CallProgressEvent): Step {
  switch (e.phase) {
    case 'dialing':
      return { at: e.at, text: t('step.dialing'), tone: '' };
    case 'ringing':
      return { at: e.at, text: t('step.ringing'), tone: '' };
    case 'answered':
      return { at: e.at, text: t('step.answered'), tone: 'good' };
    case 'digit':
      return { at: e.at, text: t('step.digit', { digit: e.digit ?? '?' }), tone: '' };
    case 'action':
      return { at: e.at, text: t('step.action', { action: actionWord(t, e.action ?? null), result: e.result ?? '' }), tone: 'good' };
    case 'ended':
      return { at: e.at, text: ended(t, e.outcome ?? null, e.cause ?? null), tone: e.outcome === 'answered' ? 'good' : 'bad' };
  }
}

/** "Acknowledged" rather than the internal name; an action we have no word for is shown as it is. */
function actionWord(t: Translate, action: string | null): string {
  if (!action) return '—';
  return t.dynamic(`action.${action}`) ?? action;
}

function ended(t: Translate, outcome: string | null, cause: string | null): string {
  return t('step.ended', { outcome: outcome ?? '—' }) + (cause ? ` (${cause})` : '');
}

function attemptCallSteps(t: Translate, a: Attempt): Step[] {
  const out: Step[] = [{ at: a.startedAt, text: t('step.dialing'), tone: '' }];
  if (a.ringingAt !== null) out.push({ at: a.ringingAt, text: t('step.ringing'), tone: '' });
  if (a.answeredAt !== null) out.push({ at: a.answeredAt, text: t('step.answered'), tone: 'good' });
  const after = a.answeredAt ?? a.startedAt;
  for (const d of a.digits ?? '') out.push({ at: after, text: t('step.digit', { digit: d }), tone: '' });
  if (a.action) out.push({ at: after, text: t('step.action', { action: actionWord(t, a.action), result: a.result ?? '' }), tone: 'good' });
  if (a.endedAt !== null) out.push({ at: a.endedAt, text: ended(t, a.outcome, a.cause), tone: a.outcome === 'answered' ? 'good' : 'bad' });
  return out;
}

/** "+1.4 s" after the page was queued: how long each step took is what an operator reads. */
export function offset(t: Translate, n: Pick<Notification, 'receivedAt'>, at: number): string {
  return t('step.offset', { s: (Math.max(0, at - n.receivedAt) / 1000).toFixed(1) });
}

/** The final word on a finished test, or what it is waiting for. */
export function outcomeText(t: Translate, n: Notification): string {
  if (n.state === 'pending') return n.attempts > 0 ? t('outcome.retrying', { reason: n.reason ?? '' }) : t('outcome.waiting');
  if (n.state === 'active') return t('outcome.active');
  return t(`outcome.${n.state}`, { reason: n.reason ?? n.outcome ?? '' });
}
