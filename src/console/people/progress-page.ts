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
import type { Translate } from '../i18n';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { badge, dataTable, esc, form, href, when, words } from '../ui';
import { TEXTS } from './texts';
import { TEST_SOURCES, testBlocked, type TestKind } from './reach';
import { isFinished, offset, outcomeText, stepsOf, type Step } from './progress';
import { maskedPhone, notFound, stateBadge } from './view';

const SOURCES = Object.values(TEST_SOURCES);

/** The test row the URL names, if it is one of this person's tests; else null after a 404. */
export async function testOr404(deps: ConsoleDeps, req: Request, res: Response, u: User): Promise<Notification | null> {
  const raw = String(req.params.id ?? '');
  const n = /^[1-9][0-9]{0,14}$/.test(raw) ? await deps.notifications.get(Number(raw)) : null;
  if (n && n.userId === u.id && SOURCES.includes(n.source)) return n;
  notFound(res);
  return null;
}

export function stepItem(t: Translate, n: Notification, s: Step, i: number): string {
  return `<li${s.tone ? ` class="${s.tone}"` : ''} data-step="${i}"><span class="step-time mono">${esc(offset(t, n, s.at))}</span> ${esc(s.text)}</li>`;
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
  const body =
    `<p><a href="${esc(href(ctx, 'people', u.email))}">${esc(t('back.person', { name: u.name }))}</a></p>` +
    `<section class="card" id="test-progress" data-finished="${finished ? '1' : '0'}" data-events="${esc(`${self}/events`)}" data-live-url="${esc(`${self}?live=1`)}" data-final-url="${esc(self)}">` +
    `<h2>${esc(t(`test.heading.${kind}`, { to }))} ${state}</h2>` +
    `<ol class="timeline" id="steps" aria-live="polite">${steps.map((s, i) => stepItem(t, n, s, i)).join('')}</ol>` +
    `<p id="progress-status" class="progress-status${finished ? ` ${n.state}` : ''}" role="status">${esc(outcomeText(t, n))}</p>` +
    (finished ? '' : `<p class="muted">${esc(t(live ? 'progress.live' : 'progress.refresh'))} <a href="${esc(self)}">${esc(t('progress.reload'))}</a></p>`) +
    `</section>` +
    recordCard(ctx, t, n, attempts) +
    againForm(ctx, t, deps, u, kind);
  res.type('html').send(shell(ctx, { title: t(`test.title.${kind}`), section: 'people', body, refreshSeconds: finished || live ? undefined : 2 }));
}

function kindOf(n: Notification): TestKind {
  return n.kind === 'sms' ? 'sms' : n.kind === 'push' ? 'push' : 'call';
}

/** The queue row and its attempts as stored: the record, whatever the live view showed. */
function recordCard(ctx: ConsoleContext, t: Translate, n: Notification, attempts: Attempt[]): string {
  const facts: [string, string][] = [
    [t('rec.state'), stateBadge(t, n.state)],
    [t('rec.outcome'), esc(n.outcome ?? '—')],
    [t('rec.reason'), esc(n.reason ?? '—')],
    [t('rec.queued'), when(ctx, n.receivedAt)],
    [t('rec.finished'), when(ctx, n.finishedAt)],
    [t('rec.tries'), esc(n.attempts)],
    [t('rec.message'), esc(n.message)],
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const rows = attempts.map((a) => [
    `<span class="mono">${esc(a.channel)}</span>`,
    when(ctx, a.startedAt),
    a.ringingAt !== null ? esc(offset(t, { receivedAt: a.startedAt }, a.ringingAt)) : '—',
    a.answeredAt !== null ? esc(offset(t, { receivedAt: a.startedAt }, a.answeredAt)) : '—',
    a.endedAt !== null ? esc(offset(t, { receivedAt: a.startedAt }, a.endedAt)) : '—',
    badge(a.outcome).markup,
    esc(a.cause ?? '—'),
    `<span class="mono">${esc(a.digits ?? '—')}</span>`,
    esc([a.action, a.result].filter(Boolean).join(': ') || '—'),
  ]);
  const headers = [t('att.channel'), t('att.started'), t('att.ringing'), t('att.answered'), t('att.ended'), t('att.outcome'), t('att.cause'), t('att.digits'), t('att.result')];
  return `<section class="card" id="test-record"><h2>${esc(t('rec.title'))}</h2>${dl}<h3>${esc(t('att.title'))}</h3>${dataTable(headers, rows, t('att.none'))}</section>`;
}

function againForm(ctx: ConsoleContext, t: Translate, deps: ConsoleDeps, u: User, kind: TestKind): string {
  if (testBlocked(deps, u, kind)) return '';
  return `<div class="actions">${form(ctx, href(ctx, 'people', u.email, `test-${kind}`), `<button type="submit" class="secondary">${esc(t(`test.again.${kind}`))}</button>`, 'data-live-form')}</div>`;
}
