/**
 * One page from start to end: received, tied to its alert group (and how), every attempt with its
 * times, cause, digits, action and reply (and, for calls, what was played, to listen to), then
 * how it ended; below, the other pages of the same alert group.
 */
import type { Attempt, Notification } from '../../db/notifications-repo';
import type { ListenPlan } from '../../listen';
import { maskPhone } from '../../core/mask';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { dataTable, href, truncate, when } from '../ui';
import { exactTime, personCell, seconds, toneOf, wordBadge, type Person } from './format';
import { listenBlock, type PromptWords } from './listen-view';
import { fill, html, joinHtml, userText, type Html } from '../../web/html';

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

export function timelineBody(ctx: ConsoleContext, t: Translate, m: TimelineModel): Html {
  const n = m.page;
  const back = html`<p><a href="${href(ctx, 'pages')}">← ${t('page.back')}</a></p>`;
  const steps = [received(ctx, t, m), tied(ctx, t, n), ...attemptItems(ctx, t, m), ending(ctx, t, n)];
  return html`${back}<section class="card" aria-labelledby="sum-h"><h2 id="sum-h">${t('page.summary')}</h2>${facts(ctx, t, m)}</section><section class="card" aria-labelledby="tl-h"><h2 id="tl-h">${t('page.timeline')}</h2><ol class="timeline">${steps}</ol></section>${n.alertGroupId ? others(ctx, t, m, n.alertGroupId) : null}`;
}

function groupLink(ctx: ConsoleContext, id: string): Html {
  return html`<a class="mono" href="${href(ctx, 'pages')}?group=${encodeURIComponent(id)}">${userText(id)}</a>`;
}

function facts(ctx: ConsoleContext, t: Translate, m: TimelineModel): Html {
  const n = m.page;
  const rows: [Parameters<Translate>[0], Html][] = [
    ['page.kind', html`${t(`kind.${n.kind}`)}`],
    ['page.source', html`<span class="mono">${n.source}</span>`],
    [
      'page.person',
      m.person
        ? html`${userText(m.person.name)} &lt;${userText(m.person.email)}&gt;`
        : html`${userText(n.email || '—')} <span class="muted">(${t('page.unknownPerson')})</span>`,
    ],
    ['page.phone', m.person?.phone ? html`<span class="mono">${maskPhone(m.person.phone)}</span>` : html`—`],
    ['page.state', wordBadge(t, 'state', n.state)],
    ['page.outcome', n.outcome ? html`<span class="mono">${n.outcome}</span>` : html`—`],
    ['page.reason', n.reason ? userText(n.reason) : html`—`],
    ['page.group', n.alertGroupId ? groupLink(ctx, n.alertGroupId) : html`—`],
    ['page.received', exactTime(ctx, n.receivedAt)],
    ['page.finished', exactTime(ctx, n.finishedAt)],
  ];
  return html`<dl class="facts">${rows.map(([k, v]) => html`<dt>${t(k)}</dt><dd>${v}</dd>`)}</dl>`;
}

function received(ctx: ConsoleContext, t: Translate, m: TimelineModel): Html {
  const n = m.page;
  const who = m.person ? html`${userText(m.person.name)} (${userText(m.person.email)})` : userText(n.email || '—');
  return html`<li><strong>${t('tl.received', { source: n.source })}</strong> · ${exactTime(ctx, n.receivedAt)}<br>${fill(t('tl.for', { who: '{who}' }), { who })}<div class="page-message">${userText(n.message)}</div></li>`;
}

function tied(ctx: ConsoleContext, t: Translate, n: Notification): Html {
  const c = n.correlation;
  const key =
    c === 'exact'
      ? 'corr.exact'
      : c === 'matched'
        ? 'corr.matched'
        : c === 'none'
          ? 'corr.none'
          : n.state === 'pending'
            ? 'corr.pending'
            : 'corr.unset';
  const text = fill(t(key, { id: '{id}' }), { id: n.alertGroupId ? groupLink(ctx, n.alertGroupId) : html`—` });
  const tone = c === 'exact' ? html` class="good"` : c === 'matched' ? html` class="warn"` : null;
  return html`<li${tone}><strong>${t('tl.tied')}</strong><br>${text}</li>`;
}

function attemptItems(ctx: ConsoleContext, t: Translate, m: TimelineModel): Html[] {
  let calls = 0;
  return m.attempts.map((a, i) => {
    const [medium, sender] = splitChannel(a.channel);
    const tone = toneOf(a.outcome);
    const cls = tone === 'neutral' ? null : html` class="${tone}"`;
    const head =
      medium === 'voice'
        ? t('a.call', { n: ++calls })
        : medium === 'sms'
          ? t('a.sms', { sender })
          : medium === 'push'
            ? t('a.push', { sender })
            : t('a.other', { n: i + 1, channel: a.channel });
    const body = medium === 'voice' ? callFacts(ctx, t, a) : messageFacts(ctx, t, a);
    const plan = m.plans.get(a.id);
    const listen = plan
      ? listenBlock(ctx, t, {
          audioUrl: href(ctx, 'pages', m.page.id, 'attempts', a.id, 'audio.wav'),
          attemptId: a.id,
          plan,
          words: m.words,
        })
      : null;
    const unrecorded =
      medium === 'voice' && a.answeredAt !== null && a.played == null ? html`<p class="muted">${t('listen.notRecorded')}</p>` : null;
    return html`<li${cls} id="attempt-${a.id}"><strong>${head}</strong> ${wordBadge(t, 'outcome', a.outcome)}${body}${listen}${unrecorded}</li>`;
  });
}

function splitChannel(channel: string): [string, string] {
  const i = channel.indexOf(':');
  return i < 0 ? [channel, ''] : [channel.slice(0, i), channel.slice(i + 1)];
}

function dl(t: Translate, rows: [Parameters<Translate>[0], Html | null][]): Html {
  const shown = rows.filter((r): r is [Parameters<Translate>[0], Html] => r[1] !== null);
  return html`<dl class="facts">${shown.map(([k, v]) => html`<dt>${t(k)}</dt><dd>${v}</dd>`)}</dl>`;
}

const since = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function callFacts(ctx: ConsoleContext, t: Translate, a: Attempt): Html {
  const d = (ms: number | null) => seconds(ctx, ms);
  const note = (text: string) => html` <span class="muted">(${text})</span>`;
  const rangFrom = a.ringingAt ?? a.startedAt;
  const ended =
    a.endedAt === null
      ? html`${t('a.inProgress')}`
      : html`${exactTime(ctx, a.endedAt)}${note(a.answeredAt !== null ? t('a.talk', { d: d(since(a.endedAt, a.answeredAt)) }) : t('a.rang', { d: d(since(a.endedAt, rangFrom)) }))}`;
  return dl(t, [
    ['a.started', exactTime(ctx, a.startedAt)],
    [
      'a.ringing',
      a.ringingAt === null ? null : html`${exactTime(ctx, a.ringingAt)}${note(t('a.after', { d: d(since(a.ringingAt, a.startedAt)) }))}`,
    ],
    [
      'a.answered',
      a.answeredAt === null ? null : html`${exactTime(ctx, a.answeredAt)}${note(t('a.rang', { d: d(since(a.answeredAt, rangFrom)) }))}`,
    ],
    ['a.ended', ended],
    ['a.cause', a.cause ? html`<span class="mono">${a.cause}</span>` : null],
    ['a.trunk', a.trunk ? html`<span class="mono">${a.trunk}</span>` : null],
    ['a.legs', a.legs && a.legs.length > 1 ? legsLine(a.legs) : null],
    ['a.digits', a.digits ? html`<span class="mono">${a.digits}</span>` : null],
    ['a.action', a.action ? html`<span class="mono">${a.action}</span>` : null],
    ['a.result', a.result ? userText(a.result) : null],
    ['a.speech', a.speech ? userText(a.speech) : null],
  ]);
}

/** Every trunk the attempt tried, in order: the carrier's refusals that led to the one that carried it. */
function legsLine(legs: NonNullable<Attempt['legs']>): Html {
  const one = (l: (typeof legs)[number]) =>
    html`<span class="mono">${l.trunk}: ${l.outcome}${l.cause !== null ? ` ${l.cause}` : ''}${l.sipCode !== null ? ` SIP ${l.sipCode}` : ''}</span>`;
  return joinHtml(legs.map(one), ' → ');
}

function messageFacts(ctx: ConsoleContext, t: Translate, a: Attempt): Html {
  const ok = a.outcome === 'sent';
  return dl(t, [
    ['a.sentAt', exactTime(ctx, a.startedAt)],
    [
      'a.ended',
      a.endedAt === null
        ? html`${t('a.inProgress')}`
        : html`${exactTime(ctx, a.endedAt)} <span class="muted">(${t('a.took', { d: seconds(ctx, since(a.endedAt, a.startedAt)) })})</span>`,
    ],
    [ok ? 'a.reply' : 'a.error', a.result ? userText(a.result) : null],
    ['a.cause', !ok && a.cause && a.cause !== a.result ? html`<span class="mono">${a.cause}</span>` : null],
  ]);
}

function ending(ctx: ConsoleContext, t: Translate, n: Notification): Html {
  if (n.state === 'pending')
    return html`<li class="warn"><strong>${fill(t('tl.waiting', { when: '{when}' }), { when: when(ctx, n.nextAttemptAt) })}</strong></li>`;
  if (n.state === 'active') return html`<li class="warn"><strong>${t('tl.active')}</strong></li>`;
  const tone = toneOf(n.state);
  const detail = [...(n.outcome ? [html`<span class="mono">${n.outcome}</span>`] : []), ...(n.reason ? [userText(n.reason)] : [])];
  return html`<li${tone === 'neutral' ? null : html` class="${tone}"`}><strong>${fill(t('tl.final', { state: '{state}' }), { state: wordBadge(t, 'state', n.state) })}</strong> · ${exactTime(ctx, n.finishedAt)}${detail.length ? html`<br>${joinHtml(detail, ' — ')}` : null}</li>`;
}

function others(ctx: ConsoleContext, t: Translate, m: TimelineModel, groupId: string): Html {
  const rows = m.others.map((o) => [
    html`<a href="${href(ctx, 'pages', o.id)}">${o.id}</a>`,
    when(ctx, o.receivedAt),
    personCell(o.userId === null ? undefined : m.othersPeople.get(o.userId), o.email),
    html`${t(`kind.${o.kind}`)}`,
    userText(truncate(o.message, 80)),
    wordBadge(t, 'state', o.state),
  ]);
  const headers = (['col.id', 'col.received', 'col.person', 'col.kind', 'col.message', 'col.state'] as const).map((k) => t(k));
  return html`<section class="card" aria-labelledby="grp-h"><h2 id="grp-h">${t('group.title', { id: groupId })}</h2>${dataTable(headers, rows, t('group.empty'))}</section>`;
}
