/** /console/heartbeats: every heartbeat with its state, last ping, schedule and who it pages. */
import type { Heartbeat, UnknownPing } from '../../watchers/heartbeats';
import type { User } from '../../directory/user';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { dataTable, esc, href, when } from '../ui';
import { pagedHtml, peopleByEmail, schedule, stateBadge } from './view';

export interface ListView {
  heartbeats: readonly Heartbeat[];
  unknown: readonly UnknownPing[];
  people: readonly User[];
  defaults: readonly string[];
}

export function listBody(ctx: ConsoleContext, t: Translate, v: ListView): string {
  const people = peopleByEmail(v.people);
  const newButton = `<p class="actions"><a class="button" href="${esc(href(ctx, 'heartbeats', 'new'))}">${esc(t('list.new'))}</a></p>`;
  const rows = v.heartbeats.map((hb) => [
    `<a href="${esc(href(ctx, 'heartbeats', hb.name))}">${esc(hb.name)}</a>`,
    esc(t(`kind.${hb.kind}`)),
    stateBadge(t, hb.state),
    hb.lastPingAt === null ? `<span class="muted">${esc(t('never'))}</span>` : when(ctx, hb.lastPingAt),
    esc(schedule(t, hb)),
    pagedHtml(t, hb.page, v.defaults, people),
  ]);
  const table = v.heartbeats.length
    ? `<section class="card" id="heartbeats">${dataTable([t('col.name'), t('col.kind'), t('col.state'), t('col.lastPing'), t('col.schedule'), t('col.paged')], rows, '', 'hb-list')}</section>`
    : empty(ctx, t);
  return newButton + table + unknownPings(ctx, t, v.unknown);
}

function empty(ctx: ConsoleContext, t: Translate): string {
  return (
    `<section class="card" id="empty"><h2>${esc(t('empty.title'))}</h2><p>${esc(t('empty.what'))}</p><p>${esc(t('empty.how'))}</p>` +
    `<p><a class="button" href="${esc(href(ctx, 'heartbeats', 'new'))}">${esc(t('empty.create'))}</a></p></section>`
  );
}

/** Pings for names no heartbeat has: usually a typo in a sender, which would otherwise watch nothing. */
function unknownPings(ctx: ConsoleContext, t: Translate, unknown: readonly UnknownPing[]): string {
  if (unknown.length === 0) return '';
  const rows = unknown.map((u) => [
    `<span class="mono">${esc(u.name)}</span>`,
    esc(u.count),
    when(ctx, u.lastAt),
    `<span class="muted">${esc(u.source)}</span>`,
    `<a href="${esc(href(ctx, 'heartbeats', 'new'))}?name=${esc(encodeURIComponent(u.name))}">${esc(t('unknown.create'))}</a>`,
  ]);
  return `<section class="card" id="unknown"><h2>${esc(t('unknown.title'))}</h2><p class="muted">${esc(t('unknown.why'))}</p>${dataTable([t('col.name'), t('unknown.count'), t('col.lastPing'), t('unknown.source'), t('col.action')], rows, '')}</section>`;
}
