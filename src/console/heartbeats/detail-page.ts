/** /console/heartbeats/<name>: the facts, the actions, the history and how to ping it. */
import type { Heartbeat, HeartbeatEvent } from '../../watchers/heartbeats';
import type { User } from '../../directory/user';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { esc, form, href, when } from '../ui';
import type { PingKey } from './ping-help';
import { pingSection } from './ping-section';
import { eventList, strip, stripData, LIST_EVENTS, STRIP_PERIODS } from './timeline';
import { pagedHtml, peopleByEmail, schedule, stateBadge } from './view';

export interface DetailView {
  hb: Heartbeat;
  events: readonly HeartbeatEvent[];
  readLimit: number;
  people: readonly User[];
  defaults: readonly string[];
  declared: boolean;
  publicUrl: string;
  key: PingKey | null;
}

export function detailBody(ctx: ConsoleContext, t: Translate, v: DetailView): string {
  return actions(ctx, t, v) + facts(ctx, t, v) + history(ctx, t, v) + pingSection(ctx, t, v.hb, v.publicUrl, v.key);
}

function actions(ctx: ConsoleContext, t: Translate, v: DetailView): string {
  const { hb } = v;
  const to = (action: string) => href(ctx, 'heartbeats', hb.name, action);
  const paused = hb.state === 'paused';
  const edit = v.declared ? '' : `<a class="button secondary" href="${esc(to('edit'))}">${esc(t('edit'))}</a>`;
  const toggle = form(ctx, to(paused ? 'resume' : 'pause'), `<button type="submit" class="secondary">${esc(t(paused ? 'action.resume' : 'action.pause'))}</button>`);
  const ping = form(ctx, to('ping'), `<button type="submit" class="secondary">${esc(t('action.ping'))}</button>`);
  const remove = v.declared ? '' : form(ctx, to('remove'), `<button type="submit" class="danger">${esc(t('remove'))}</button>`, `data-confirm="${esc(t('confirm.remove', { what: hb.name }))}"`);
  return `<div class="actions" id="actions">${edit}${toggle}${ping}${remove}<a href="${esc(href(ctx, 'heartbeats'))}">${esc(t('detail.back'))}</a></div>`;
}

function facts(ctx: ConsoleContext, t: Translate, v: DetailView): string {
  const { hb } = v;
  const row = (k: string, html: string) => `<dt>${esc(t(k))}</dt><dd>${html}</dd>`;
  const declared = v.declared ? `<p class="notice info" id="declared">${esc(t('detail.declared'))}</p>` : '';
  return (
    `<section class="card" id="facts"><h2>${esc(t('detail.facts'))}</h2>${declared}<dl class="facts">` +
    row('col.state', `${stateBadge(t, hb.state)} <span class="muted">${esc(t('detail.since'))} ${when(ctx, hb.stateChangedAt)}</span>`) +
    row('col.kind', esc(t(`kind.${hb.kind}`))) +
    row('col.schedule', esc(schedule(t, hb))) +
    row('col.lastPing', hb.lastPingAt === null ? `<span class="muted">${esc(t('never'))}</span>` : when(ctx, hb.lastPingAt)) +
    row('detail.due', hb.dueAt === null ? `<span class="muted">${esc(t(hb.state === 'paused' ? 'detail.due.paused' : hb.state === 'new' ? 'detail.due.new' : 'detail.due.none'))}</span>` : when(ctx, hb.dueAt)) +
    row('col.paged', pagedHtml(t, hb.page, v.defaults, peopleByEmail(v.people))) +
    row('f.description', hb.description ? `<span class="hb-description">${esc(hb.description)}</span>` : '<span class="muted">—</span>') +
    row('detail.created', when(ctx, hb.createdAt)) +
    `</dl></section>`
  );
}

function history(ctx: ConsoleContext, t: Translate, v: DetailView): string {
  const data = stripData(v.hb, v.events, ctx.now, v.readLimit);
  const listed = [...v.events].sort((a, b) => b.at - a.at).slice(0, LIST_EVENTS);
  return (
    `<section class="card" id="history"><h2>${esc(t('history.title'))}</h2><p class="muted">${esc(t('history.strip', { n: STRIP_PERIODS }))}</p>${strip(ctx, t, data)}` +
    `<h3>${esc(t('history.list', { n: LIST_EVENTS }))}</h3>${eventList(ctx, t, listed)}</section>`
  );
}
