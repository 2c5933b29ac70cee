/** The alerts list and one alert with its timeline: who was paged on which channel, and how it ended. */
import type { Alert, AlertEvent } from '../../alerts/types';
import type { Notification } from '../../db/notifications-repo';
import type { ConsoleContext } from '../context';
import { badge, dataTable, href, when } from '../ui';
import { html, userText, type Html } from '../../web/html';
import type { Words } from './texts';

export type AlertState = 'open' | 'acknowledged' | 'closed';

export const stateOf = (a: Alert): AlertState => (a.status === 'closed' ? 'closed' : a.acknowledged ? 'acknowledged' : 'open');

export function filters(ctx: ConsoleContext, t: Words, current: AlertState | 'all', q: string): Html {
  const link = (s: AlertState | 'all') =>
    html`<a href="${href(ctx, 'alerts')}?state=${s}"${s === current ? html` aria-current="page"` : null}>${t(`filter.${s}`)}</a>`;
  return html`<nav class="actions">${link('open')} · ${link('acknowledged')} · ${link('closed')} · ${link('all')} · <a href="${href(ctx, 'alerts', 'integrations')}">${t('int.link')}</a></nav><form method="get" action="${href(ctx, 'alerts')}" role="search"><input type="hidden" name="state" value="${current}"><label>${t('search.label')} <input type="search" name="q" value="${q}"></label> <button type="submit">${t('search')}</button></form>`;
}

export function listBody(ctx: ConsoleContext, t: Words, alerts: readonly Alert[]): Html {
  const rows = alerts.map((a) => [
    html`<a href="${href(ctx, 'alerts', a.id)}">#${a.tinyId} ${userText(a.message)}</a>`,
    html`${a.priority}`,
    badge(t(`state.${stateOf(a)}`)),
    html`${a.count}`,
    when(ctx, a.createdAt),
    html`${userText(a.owner)}`,
  ]);
  return html`<section class="card" id="alerts">${dataTable([t('col.alert'), t('col.priority'), t('col.state'), t('col.count'), t('col.created'), t('col.owner')], rows, t('empty'))}</section>`;
}

export function detailBody(
  ctx: ConsoleContext,
  t: Words,
  a: Alert,
  events: readonly AlertEvent[],
  pages: Map<number, Notification>,
  actions: Html | null,
): Html {
  const row = (k: string, v: Html | string) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`;
  const fields = html`<section class="card"><h2>${t('detail.fields')}</h2><table>${row(t('col.state'), badge(t(`state.${stateOf(a)}`)))}${row(t('col.priority'), a.priority)}${row(t('detail.alias'), html`<span class="mono">${userText(a.alias)}</span>`)}${row(t('detail.entity'), html`${userText(a.entity)}`)}${row(t('detail.source'), html`${userText(a.source)}`)}${row(t('detail.team'), html`${userText(a.team ?? '')}`)}${row(t('col.count'), String(a.count))}${row(t('col.owner'), html`${userText(a.owner)}`)}${row(t('detail.tags'), html`${userText(a.tags.join(', '))}`)}${row(t('detail.description'), html`<span class="pre">${userText(a.description)}</span>`)}</table>${actions}</section>`;
  const lines = events.map((e) => {
    const page = e.notificationId === null ? undefined : pages.get(e.notificationId);
    const outcome = page
      ? html`${badge(page.state)} ${userText(page.reason ?? '')} <a href="${href(ctx, 'pages', page.id)}">${t('detail.listen')}</a>`
      : null;
    return [
      when(ctx, e.at),
      html`${t.dynamic(`kind.${e.kind}`) ?? e.kind}`,
      html`${userText(e.actor)}`,
      html`${userText(e.text)}`,
      html`${outcome}`,
    ];
  });
  const timeline = html`<section class="card" id="timeline"><h2>${t('detail.timeline')}</h2>${dataTable([t('col.when'), t('col.what'), t('col.who'), t('detail.fields'), t('col.outcome')], lines, '')}</section>`;
  return html`${fields}${timeline}`;
}
