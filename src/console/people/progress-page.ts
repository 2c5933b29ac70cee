/**
 * /console/people/:email/test/:id: a test call or message as it happens. Without JavaScript the
 * page reloads itself every 2 s until the row is finished. With it, the script switches to the
 * `?live=1` variant (which does not reload) and follows `…/events`; a meta refresh cannot be
 * cancelled once parsed, so the choice is made by the server, not by removing the tag.
 */
import type { Request, Response } from '../../http/express';
import type { Attempt, Notification } from '../../db/notifications-repo';
import type { User } from '../../directory/user';
import type { ConsoleDeps } from '../deps';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { badge, dataTable, form, href, when, words } from '../ui';
import { TEXTS } from './texts';
import { TEST_SOURCES, testBlocked, type TestKind } from './reach';
import { isFinished, offset, outcomeText, stepsOf, type Step } from './progress';
import { maskedPhone, notFound, stateBadge } from './view';
import { sendHtml } from '../../web/send';
import { html, userText, type Html } from '../../web/html';

const SOURCES = Object.values(TEST_SOURCES);

/** The test row the URL names, if it is one of this person's tests; else null after a 404. */
export async function testOr404(deps: ConsoleDeps, req: Request, res: Response, u: User): Promise<Notification | null> {
  const raw = String(req.params.id ?? '');
  const n = /^[1-9][0-9]{0,14}$/.test(raw) ? await deps.notifications.get(Number(raw)) : null;
  if (n && n.userId === u.id && SOURCES.includes(n.source)) return n;
  notFound(res);
  return null;
}

export function stepItem(t: Translate, n: Notification, s: Step, i: number): Html {
  return html`<li${s.tone ? html` class="${s.tone}"` : null} data-step="${i}"><span class="step-time mono">${offset(t, n, s.at)}</span> ${userText(s.text)}</li>`;
}

export async function sendProgressPage(deps: ConsoleDeps, req: Request, res: Response, u: User, n: Notification): Promise<void> {
  const ctx = ctxOf(res);
  const t = words(ctx, TEXTS);
  const attempts = (await deps.notifications.attemptsFor([n.id])).get(n.id) ?? [];
  const steps = stepsOf(t, n, deps.progress.events(n.id), attempts);
  const finished = isFinished(n);
  const live = req.query.live === '1';
  const self = href(ctx, 'people', u.email, 'test', n.id);
  const kind = kindOf(n);
  const to = kind === 'push' ? u.name : `${u.name} (${maskedPhone(u)})`;
  const state = stateBadge(t, n.state);
  const body = html`<p><a href="${href(ctx, 'people', u.email)}">${t('back.person', { name: u.name })}</a></p><section class="card" id="test-progress" data-finished="${finished ? '1' : '0'}" data-events="${`${self}/events`}" data-live-url="${`${self}?live=1`}" data-final-url="${self}"><h2>${t(`test.heading.${kind}`, { to })} ${state}</h2><ol class="timeline" id="steps" aria-live="polite">${steps.map((s, i) => stepItem(t, n, s, i))}</ol><p id="progress-status" class="progress-status${finished ? ` ${n.state}` : ''}" role="status">${outcomeText(t, n)}</p>${finished ? null : html`<p class="muted">${t(live ? 'progress.live' : 'progress.refresh')} <a href="${self}">${t('progress.reload')}</a></p>`}</section>${recordCard(ctx, t, n, attempts)}${againForm(ctx, t, deps, u, kind)}`;
  sendHtml(
    res,
    200,
    shell(ctx, { title: t(`test.title.${kind}`), section: 'people', body, refreshSeconds: finished || live ? undefined : 2 }),
  );
}

function kindOf(n: Notification): TestKind {
  return n.kind === 'sms' ? 'sms' : n.kind === 'push' ? 'push' : 'call';
}

/** The queue row and its attempts as stored: the record, whatever the live view showed. */
function recordCard(ctx: ConsoleContext, t: Translate, n: Notification, attempts: Attempt[]): Html {
  const facts: [string, Html][] = [
    [t('rec.state'), stateBadge(t, n.state)],
    [t('rec.outcome'), html`${n.outcome ?? '—'}`],
    [t('rec.reason'), userText(n.reason ?? '—')],
    [t('rec.queued'), when(ctx, n.receivedAt)],
    [t('rec.finished'), when(ctx, n.finishedAt)],
    [t('rec.tries'), html`${n.attempts}`],
    [t('rec.message'), userText(n.message)],
  ];
  const dl = html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
  const rows = attempts.map((a) => [
    html`<span class="mono">${a.channel}</span>`,
    when(ctx, a.startedAt),
    a.ringingAt !== null ? html`${offset(t, { receivedAt: a.startedAt }, a.ringingAt)}` : html`—`,
    a.answeredAt !== null ? html`${offset(t, { receivedAt: a.startedAt }, a.answeredAt)}` : html`—`,
    a.endedAt !== null ? html`${offset(t, { receivedAt: a.startedAt }, a.endedAt)}` : html`—`,
    badge(a.outcome),
    html`${a.cause ?? '—'}`,
    html`<span class="mono">${a.digits ?? '—'}</span>`,
    userText([a.action, a.result].filter(Boolean).join(': ') || '—'),
  ]);
  const headers = [
    t('att.channel'),
    t('att.started'),
    t('att.ringing'),
    t('att.answered'),
    t('att.ended'),
    t('att.outcome'),
    t('att.cause'),
    t('att.digits'),
    t('att.result'),
  ];
  return html`<section class="card" id="test-record"><h2>${t('rec.title')}</h2>${dl}<h3>${t('att.title')}</h3>${dataTable(headers, rows, t('att.none'))}</section>`;
}

function againForm(ctx: ConsoleContext, t: Translate, deps: ConsoleDeps, u: User, kind: TestKind): Html | null {
  if (testBlocked(deps, u, kind)) return null;
  return html`<div class="actions">${form(ctx, href(ctx, 'people', u.email, `test-${kind}`), html`<button type="submit" class="secondary">${t(`test.again.${kind}`)}</button>`, { live: true })}</div>`;
}
