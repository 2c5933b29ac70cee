/** The search form (a plain GET form) and the table of pages it found. */
import type { Attempt, Notification } from '../../db/notifications-repo';
import { NOTIFICATION_KINDS } from '../../db/notifications-repo';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { dataTable, field, href, select, truncate, when } from '../ui';
import { FIELDS, PAGE_STATES, PERIODS, filterQuery, type ParsedFilter } from './filter';
import { dateField, personCell, wordBadge, type Person } from './format';
import { html, userText, type Html } from '../../web/html';

export interface ListModel {
  filter: ParsedFilter;
  pages: Notification[];
  attempts: Map<number, Attempt[]>;
  people: Map<number, Person>;
  /** Id to continue from for the "older" link, when there are more. */
  olderThan: number | null;
}

export function searchForm(ctx: ConsoleContext, t: Translate, f: ParsedFilter): Html {
  const err = (k: keyof ParsedFilter['errors']) => (f.errors[k] ? t(f.errors[k]!.key, f.errors[k]!.vars) : undefined);
  const v = f.values;
  const options = (list: readonly string[], prefix: string, any: string) => [
    { value: '', label: any },
    ...list.map((x) => ({ value: x, label: t.dynamic(`${prefix}.${x}`) ?? x })),
  ];
  const inner = [
    field({
      name: 'person',
      label: t('f.person'),
      value: v.person,
      type: 'search',
      hint: t('f.person.hint'),
      error: err('person'),
      autocomplete: 'off',
    }),
    select({ name: 'state', label: t('f.state'), options: options(PAGE_STATES, 'state', t('f.any')), value: v.state, error: err('state') }),
    select({
      name: 'kind',
      label: t('f.kind'),
      options: options(NOTIFICATION_KINDS, 'kind', t('f.any')),
      value: v.kind,
      error: err('kind'),
    }),
    field({ name: 'group', label: t('f.group'), value: v.group, hint: t('f.group.hint'), error: err('group'), autocomplete: 'off' }),
    select({
      name: 'period',
      label: t('f.period'),
      options: options(Object.keys(PERIODS), 'period', t('f.anyTime')),
      value: v.period,
      error: err('period'),
    }),
    dateField({ name: 'from', label: t('f.from'), value: v.from, error: err('from') }),
    dateField({ name: 'to', label: t('f.to'), value: v.to, error: err('to') }),
    field({ name: 'text', label: t('f.text'), value: v.text, type: 'search', error: err('text'), autocomplete: 'off' }),
  ];
  const anyValue = FIELDS.some((k) => v[k] !== '');
  const clear = anyValue ? html`<a class="button secondary" href="${href(ctx, 'pages')}">${t('f.clear')}</a>` : null;
  return html`<form method="get" action="${href(ctx, 'pages')}" class="search pages-search" role="search" aria-label="${t('f.legend')}">${inner}<div class="actions"><button type="submit">${t('search')}</button>${clear}</div></form>`;
}

/**
 * How long the page took to reach the phone: received → its first call ringing. What an
 * incident commander asks when a whole team is paged at once, so it sits beside the attempts.
 */
function rangAfter(t: Translate, receivedAt: number, attempts: readonly Attempt[]): Html | null {
  const first = attempts.find((a) => a.channel === 'voice');
  if (!first || first.ringingAt === null) return null;
  const ms = Math.max(0, first.ringingAt - receivedAt);
  const after = ms < 10_000 ? t('list.rangMs', { n: String(Math.round(ms)) }) : t('list.rangS', { n: String(Math.round(ms / 1000)) });
  return html`<span class="muted rang"> · ${after}</span>`;
}

export function resultsTable(ctx: ConsoleContext, t: Translate, m: ListModel): Html {
  const rows = m.pages.map((n) => {
    const list = m.attempts.get(n.id) ?? [];
    const last = list.length ? list[list.length - 1].outcome : null;
    const link = href(ctx, 'pages', n.id);
    const group = n.alertGroupId
      ? html`<a class="mono" href="${href(ctx, 'pages')}?group=${encodeURIComponent(n.alertGroupId)}">${userText(n.alertGroupId)}</a>`
      : html`—`;
    return [
      html`<a href="${link}">${n.id}</a>`,
      when(ctx, n.receivedAt),
      personCell(n.userId === null ? undefined : m.people.get(n.userId), n.email),
      html`${t(`kind.${n.kind}`)}`,
      html`<a href="${link}" class="msg-link">${userText(truncate(n.message, 120))}</a>`,
      group,
      wordBadge(t, 'state', n.state),
      html`${list.length}${rangAfter(t, n.receivedAt, list)}`,
      wordBadge(t, 'outcome', last),
    ];
  });
  const headers = (
    ['col.id', 'col.received', 'col.person', 'col.kind', 'col.message', 'col.group', 'col.state', 'col.attempts', 'col.last'] as const
  ).map((k) => t(k));
  const more =
    m.olderThan !== null
      ? html`<a href="${href(ctx, 'pages') + filterQuery(m.filter.values, { before: m.olderThan })}">${t('list.older')}</a>`
      : null;
  const newest =
    m.filter.search.beforeId !== undefined
      ? html`<a href="${href(ctx, 'pages') + filterQuery(m.filter.values)}">${t('list.newest')}</a>`
      : null;
  const nav = more || newest ? html`<p class="actions">${newest}${more}</p>` : null;
  return html`${dataTable(headers, rows, t('list.empty'), 'pages-table')}${nav}`;
}
