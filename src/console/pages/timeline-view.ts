/**
 * One page from start to end: received, tied to its alert group (and how), every attempt with its
 * times, cause, digits, action and reply (and, for calls, what was played, to listen to), then
 * how it ended; below, the other pages of the same alert group.
 */
import type { Attempt, Notification } from '../../db/notifications-repo';
import type { ListenPlan } from '../../listen';
import { maskPhone } from '../../core/mask';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { dataTable, esc, href, truncate, when } from '../ui';
import { exactTime, personCell, seconds, toneOf, wordBadge, type Person } from './format';
import { listenBlock, type PromptWords } from './listen-view';

export interface TimelineModel {
  page: Notification;
  person: Person | undefined;
  attempts: Attempt[];
  /** Listen plans of the voice attempts that recorded what they played. */
  plans: Map<number, ListenPlan>;
  others: Notification[];
  othersPeople: Map<number, Person>;
  words: PromptWords;
}

export function timelineBody(ctx: ConsoleContext, t: Translate, m: TimelineModel): string {
  const n = m.page;
  const back = `<p><a href="${esc(href(ctx, 'pages'))}">← ${esc(t('page.back'))}</a></p>`;
  const steps = [received(ctx, t, m), tied(ctx, t, n), ...attemptItems(ctx, t, m), ending(ctx, t, n)].join('');
  return (
    back +
    `<section class="card" aria-labelledby="sum-h"><h2 id="sum-h">${esc(t('page.summary'))}</h2>${facts(ctx, t, m)}</section>` +
    `<section class="card" aria-labelledby="tl-h"><h2 id="tl-h">${esc(t('page.timeline'))}</h2><ol class="timeline">${steps}</ol></section>` +
    (n.alertGroupId ? others(ctx, t, m, n.alertGroupId) : '')
  );
}

function groupLink(ctx: ConsoleContext, id: string): string {
  return `<a class="mono" href="${esc(href(ctx, 'pages'))}?group=${esc(encodeURIComponent(id))}">${esc(id)}</a>`;
}

function facts(ctx: ConsoleContext, t: Translate, m: TimelineModel): string {
  const n = m.page;
  const rows: [string, string][] = [
    ['page.kind', esc(t(`kind.${n.kind}`))],
    ['page.source', `<span class="mono">${esc(n.source)}</span>`],
    ['page.person', m.person ? esc(`${m.person.name} <${m.person.email}>`) : `${esc(n.email || '—')} <span class="muted">(${esc(t('page.unknownPerson'))})</span>`],
    ['page.phone', m.person?.phone ? `<span class="mono">${esc(maskPhone(m.person.phone))}</span>` : '—'],
    ['page.state', wordBadge(t, 'state', n.state)],
    ['page.outcome', n.outcome ? `<span class="mono">${esc(n.outcome)}</span>` : '—'],
    ['page.reason', n.reason ? esc(n.reason) : '—'],
    ['page.group', n.alertGroupId ? groupLink(ctx, n.alertGroupId) : '—'],
    ['page.received', exactTime(ctx, n.receivedAt)],
    ['page.finished', exactTime(ctx, n.finishedAt)],
  ];
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(t(k))}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function received(ctx: ConsoleContext, t: Translate, m: TimelineModel): string {
  const n = m.page;
  const who = m.person ? `${m.person.name} (${m.person.email})` : n.email || '—';
  return (
    `<li><strong>${esc(t('tl.received', { source: n.source }))}</strong> · ${exactTime(ctx, n.receivedAt)}` +
    `<br>${esc(t('tl.for', { who }))}<div class="page-message">${esc(n.message)}</div></li>`
  );
}

function tied(ctx: ConsoleContext, t: Translate, n: Notification): string {
  const c = n.correlation;
  const key = c === 'exact' ? 'corr.exact' : c === 'matched' ? 'corr.matched' : c === 'none' ? 'corr.none' : n.state === 'pending' ? 'corr.pending' : 'corr.unset';
  const text = esc(t(key, { id: '{id}' })).replace('{id}', n.alertGroupId ? groupLink(ctx, n.alertGroupId) : '—');
  const tone = c === 'exact' ? ' class="good"' : c === 'matched' ? ' class="warn"' : '';
  return `<li${tone}><strong>${esc(t('tl.tied'))}</strong><br>${text}</li>`;
}

function attemptItems(ctx: ConsoleContext, t: Translate, m: TimelineModel): string[] {
  let calls = 0;
  return m.attempts.map((a, i) => {
    const [medium, sender] = splitChannel(a.channel);
    const tone = toneOf(a.outcome);
    const cls = tone === 'neutral' ? '' : ` class="${tone}"`;
    const head =
      medium === 'voice' ? t('a.call', { n: ++calls }) : medium === 'sms' ? t('a.sms', { sender }) : medium === 'push' ? t('a.push', { sender }) : t('a.other', { n: i + 1, channel: a.channel });
    const body = medium === 'voice' ? callFacts(ctx, t, a) : messageFacts(ctx, t, a);
    const plan = m.plans.get(a.id);
    const listen = plan ? listenBlock(ctx, t, { audioUrl: href(ctx, 'pages', m.page.id, 'attempts', a.id, 'audio.wav'), attemptId: a.id, plan, words: m.words }) : '';
    const unrecorded = medium === 'voice' && a.answeredAt !== null && a.played == null ? `<p class="muted">${esc(t('listen.notRecorded'))}</p>` : '';
    return `<li${cls} id="attempt-${a.id}"><strong>${esc(head)}</strong> ${wordBadge(t, 'outcome', a.outcome)}${body}${listen}${unrecorded}</li>`;
  });
}

function splitChannel(channel: string): [string, string] {
  const i = channel.indexOf(':');
  return i < 0 ? [channel, ''] : [channel.slice(0, i), channel.slice(i + 1)];
}

function dl(t: Translate, rows: [string, string | null][]): string {
  const shown = rows.filter((r): r is [string, string] => r[1] !== null);
  return `<dl class="facts">${shown.map(([k, v]) => `<dt>${esc(t(k))}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

const since = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function callFacts(ctx: ConsoleContext, t: Translate, a: Attempt): string {
  const d = (ms: number | null) => seconds(ctx, ms);
  const note = (text: string) => ` <span class="muted">(${esc(text)})</span>`;
  const rangFrom = a.ringingAt ?? a.startedAt;
  const ended =
    a.endedAt === null
      ? esc(t('a.inProgress'))
      : exactTime(ctx, a.endedAt) + note(a.answeredAt !== null ? t('a.talk', { d: d(since(a.endedAt, a.answeredAt)) }) : t('a.rang', { d: d(since(a.endedAt, rangFrom)) }));
  return dl(t, [
    ['a.started', exactTime(ctx, a.startedAt)],
    ['a.ringing', a.ringingAt === null ? null : exactTime(ctx, a.ringingAt) + note(t('a.after', { d: d(since(a.ringingAt, a.startedAt)) }))],
    ['a.answered', a.answeredAt === null ? null : exactTime(ctx, a.answeredAt) + note(t('a.rang', { d: d(since(a.answeredAt, rangFrom)) }))],
    ['a.ended', ended],
    ['a.cause', a.cause ? `<span class="mono">${esc(a.cause)}</span>` : null],
    ['a.digits', a.digits ? `<span class="mono">${esc(a.digits)}</span>` : null],
    ['a.action', a.action ? `<span class="mono">${esc(a.action)}</span>` : null],
    ['a.result', a.result ? esc(a.result) : null],
    ['a.speech', a.speech ? esc(a.speech) : null],
  ]);
}

function messageFacts(ctx: ConsoleContext, t: Translate, a: Attempt): string {
  const ok = a.outcome === 'sent';
  return dl(t, [
    ['a.sentAt', exactTime(ctx, a.startedAt)],
    ['a.ended', a.endedAt === null ? esc(t('a.inProgress')) : `${exactTime(ctx, a.endedAt)} <span class="muted">(${esc(t('a.took', { d: seconds(ctx, since(a.endedAt, a.startedAt)) }))})</span>`],
    [ok ? 'a.reply' : 'a.error', a.result ? esc(a.result) : null],
    ['a.cause', !ok && a.cause && a.cause !== a.result ? `<span class="mono">${esc(a.cause)}</span>` : null],
  ]);
}

function ending(ctx: ConsoleContext, t: Translate, n: Notification): string {
  if (n.state === 'pending') return `<li class="warn"><strong>${esc(t('tl.waiting', { when: '{when}' })).replace('{when}', when(ctx, n.nextAttemptAt))}</strong></li>`;
  if (n.state === 'active') return `<li class="warn"><strong>${esc(t('tl.active'))}</strong></li>`;
  const tone = toneOf(n.state);
  const detail = [n.outcome ? `<span class="mono">${esc(n.outcome)}</span>` : '', n.reason ? esc(n.reason) : ''].filter(Boolean).join(' — ');
  return `<li${tone === 'neutral' ? '' : ` class="${tone}"`}><strong>${esc(t('tl.final', { state: '{state}' })).replace('{state}', wordBadge(t, 'state', n.state))}</strong> · ${exactTime(ctx, n.finishedAt)}${detail ? `<br>${detail}` : ''}</li>`;
}

function others(ctx: ConsoleContext, t: Translate, m: TimelineModel, groupId: string): string {
  const rows = m.others.map((o) => [
    `<a href="${esc(href(ctx, 'pages', o.id))}">${o.id}</a>`,
    when(ctx, o.receivedAt),
    personCell(o.userId === null ? undefined : m.othersPeople.get(o.userId), o.email),
    esc(t(`kind.${o.kind}`)),
    esc(truncate(o.message, 80)),
    wordBadge(t, 'state', o.state),
  ]);
  const headers = ['col.id', 'col.received', 'col.person', 'col.kind', 'col.message', 'col.state'].map((k) => t(k));
  return `<section class="card" aria-labelledby="grp-h"><h2 id="grp-h">${esc(t('group.title', { id: groupId }))}</h2>${dataTable(headers, rows, t('group.empty'))}</section>`;
}
