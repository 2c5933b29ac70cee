/** /console/heartbeats/<name>: the facts, the actions, the history and how to ping it. */
import type { Heartbeat, HeartbeatEvent } from '../../watchers/heartbeats';
import type { User } from '../../directory/user';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { form, href, when } from '../ui';
import type { PingKey } from './ping-help';
import { pingSection } from './ping-section';
import { eventList, strip, stripData, LIST_EVENTS, STRIP_PERIODS } from './timeline';
import { pagedHtml, peopleByEmail, schedule, stateBadge } from './view';
import { html, userText, type Html } from '../../web/html';

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

export function detailBody(ctx: ConsoleContext, t: Translate, v: DetailView): Html {
  return html`${actions(ctx, t, v)}${facts(ctx, t, v)}${history(ctx, t, v)}${pingSection(ctx, t, v.hb, v.publicUrl, v.key)}`;
}

function actions(ctx: ConsoleContext, t: Translate, v: DetailView): Html {
  const { hb } = v;
  const to = (action: string) => href(ctx, 'heartbeats', hb.name, action);
  const paused = hb.state === 'paused';
  const edit = v.declared ? null : html`<a class="button secondary" href="${to('edit')}">${t('edit')}</a>`;
  const toggle = form(
    ctx,
    to(paused ? 'resume' : 'pause'),
    html`<button type="submit" class="secondary">${t(paused ? 'action.resume' : 'action.pause')}</button>`,
  );
  const ping = form(ctx, to('ping'), html`<button type="submit" class="secondary">${t('action.ping')}</button>`);
  const remove = v.declared
    ? null
    : form(ctx, to('remove'), html`<button type="submit" class="danger">${t('remove')}</button>`, {
        confirm: t('confirm.remove', { what: hb.name }),
      });
  return html`<div class="actions" id="actions">${edit}${toggle}${ping}${remove}<a href="${href(ctx, 'heartbeats')}">${t('detail.back')}</a></div>`;
}

function facts(ctx: ConsoleContext, t: Translate, v: DetailView): Html {
  const { hb } = v;
  const row = (k: Parameters<Translate>[0], value: Html) => html`<dt>${t(k)}</dt><dd>${value}</dd>`;
  const declared = v.declared ? html`<p class="notice info" id="declared">${t('detail.declared')}</p>` : null;
  return html`<section class="card" id="facts"><h2>${t('detail.facts')}</h2>${declared}<dl class="facts">${[
    row('col.state', html`${stateBadge(t, hb.state)} <span class="muted">${t('detail.since')} ${when(ctx, hb.stateChangedAt)}</span>`),
    row('col.kind', html`${t(`kind.${hb.kind}`)}`),
    row('col.schedule', html`${schedule(t, hb)}`),
    row('col.lastPing', hb.lastPingAt === null ? html`<span class="muted">${t('never')}</span>` : when(ctx, hb.lastPingAt)),
    row(
      'detail.due',
      hb.dueAt === null
        ? html`<span class="muted">${t(hb.state === 'paused' ? 'detail.due.paused' : hb.state === 'new' ? 'detail.due.new' : 'detail.due.none')}</span>`
        : when(ctx, hb.dueAt),
    ),
    row('col.paged', pagedHtml(t, hb.page, v.defaults, peopleByEmail(v.people))),
    row(
      'f.description',
      hb.description ? html`<span class="hb-description">${userText(hb.description)}</span>` : html`<span class="muted">—</span>`,
    ),
    row('detail.created', when(ctx, hb.createdAt)),
  ]}</dl></section>`;
}

function history(ctx: ConsoleContext, t: Translate, v: DetailView): Html {
  const data = stripData(v.hb, v.events, ctx.now, v.readLimit);
  const listed = [...v.events].sort((a, b) => b.at - a.at).slice(0, LIST_EVENTS);
  return html`<section class="card" id="history"><h2>${t('history.title')}</h2><p class="muted">${t('history.strip', { n: STRIP_PERIODS })}</p>${strip(ctx, t, data)}<h3>${t('history.list', { n: LIST_EVENTS })}</h3>${eventList(ctx, t, listed)}</section>`;
}
