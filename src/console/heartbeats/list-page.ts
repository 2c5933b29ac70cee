/** /console/heartbeats: every heartbeat with its state, last ping, schedule and who it pages. */
import type { Heartbeat, UnknownPing } from '../../watchers/heartbeats';
import type { User } from '../../directory/user';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { dataTable, href, when } from '../ui';
import { pagedHtml, peopleByEmail, schedule, stateBadge } from './view';
import { html, userText, type Html } from '../../web/html';

export interface ListView {
  heartbeats: readonly Heartbeat[];
  unknown: readonly UnknownPing[];
  people: readonly User[];
  defaults: readonly string[];
}

export function listBody(ctx: ConsoleContext, t: Translate, v: ListView): Html {
  const people = peopleByEmail(v.people);
  const newButton = html`<p class="actions"><a class="button" href="${href(ctx, 'heartbeats', 'new')}">${t('list.new')}</a></p>`;
  const rows = v.heartbeats.map((hb) => [
    html`<a href="${href(ctx, 'heartbeats', hb.name)}">${userText(hb.name)}</a>`,
    html`${t(`kind.${hb.kind}`)}`,
    stateBadge(t, hb.state),
    hb.lastPingAt === null ? html`<span class="muted">${t('never')}</span>` : when(ctx, hb.lastPingAt),
    html`${schedule(t, hb)}`,
    pagedHtml(t, hb.page, v.defaults, people),
  ]);
  const table = v.heartbeats.length
    ? html`<section class="card" id="heartbeats">${dataTable([t('col.name'), t('col.kind'), t('col.state'), t('col.lastPing'), t('col.schedule'), t('col.paged')], rows, '', 'hb-list')}</section>`
    : empty(ctx, t);
  return html`${newButton}${table}${unknownPings(ctx, t, v.unknown)}`;
}

function empty(ctx: ConsoleContext, t: Translate): Html {
  return html`<section class="card" id="empty"><h2>${t('empty.title')}</h2><p>${t('empty.what')}</p><p>${t('empty.how')}</p><p><a class="button" href="${href(ctx, 'heartbeats', 'new')}">${t('empty.create')}</a></p></section>`;
}

/** Pings for names no heartbeat has: usually a typo in a sender, which would otherwise watch nothing. */
function unknownPings(ctx: ConsoleContext, t: Translate, unknown: readonly UnknownPing[]): Html | null {
  if (unknown.length === 0) return null;
  const rows = unknown.map((u) => [
    html`<span class="mono">${userText(u.name)}</span>`,
    html`${u.count}`,
    when(ctx, u.lastAt),
    html`<span class="muted">${userText(u.source)}</span>`,
    html`<a href="${href(ctx, 'heartbeats', 'new')}?name=${encodeURIComponent(u.name)}">${t('unknown.create')}</a>`,
  ]);
  return html`<section class="card" id="unknown"><h2>${t('unknown.title')}</h2><p class="muted">${t('unknown.why')}</p>${dataTable([t('col.name'), t('unknown.count'), t('col.lastPing'), t('unknown.source'), t('col.action')], rows, '')}</section>`;
}
