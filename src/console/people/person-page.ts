/**
 * /console/people/:email: one person: details (the number masked; the edit form shows it whole),
 * edit and remove, phone verification, and the test call, SMS and push with their recent runs.
 */
import type { User } from '../../directory/user';
import type { VerificationRow } from '../../verify/repo';
import type { ConsoleDeps } from '../deps';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { dataTable, form, href, when } from '../ui';
import { TEST_KINDS, TEST_SOURCES, testBlocked } from './reach';
import { verificationCard } from './verification';
import { channelsText, phonesList, stateBadge } from './view';
import { html, userText, type Html } from '../../web/html';

export interface RecentTest {
  id: number;
  kind: string;
  state: string;
  receivedAt: number;
}

/** This person's latest test runs, newest first. */
export async function recentTests(deps: ConsoleDeps, u: User, limit = 5): Promise<RecentTest[]> {
  const rows = (await deps
    .db('notifications')
    .where({ user_id: u.id })
    .whereIn('source', Object.values(TEST_SOURCES))
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'kind', 'state', 'received_at')) as { id: number; kind: string; state: string; received_at: number | string }[];
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, state: r.state, receivedAt: Number(r.received_at) }));
}

export function personBody(
  ctx: ConsoleContext,
  t: Translate,
  deps: ConsoleDeps,
  u: User,
  v: { verification: VerificationRow | null; recent: RecentTest[]; codeError?: string },
): Html {
  const contacts = Object.entries(u.contacts);
  const facts: [string, Html][] = [
    [t('col.email'), userText(u.email)],
    [t('col.phones'), phonesList(t, u)],
    [t('col.lang'), html`${t(`lang.${u.lang}`)}`],
    [t('col.channels'), html`${channelsText(t, u)}`],
    [t('col.role'), html`${t(`role.${u.role}`)}`],
    [t('form.pin'), html`${t(u.hasPin ? 'pin.set' : 'pin.none')}`],
    [t('form.timezone'), userText(u.timezone ?? '—')],
    [
      t('form.contacts'),
      contacts.length
        ? html`<ul class="plain">${contacts.map(([k, val]) => html`<li><span class="mono">${userText(k)}</span>: ${userText(val)}</li>`)}</ul>`
        : html`—`,
    ],
    [t('person.added'), when(ctx, u.createdAt)],
    [t('person.changed'), when(ctx, u.updatedAt)],
  ];
  const remove = form(
    ctx,
    href(ctx, 'people', u.email, 'remove'),
    html`<button type="submit" class="danger">${t('person.remove')}</button>`,
    { confirm: t('confirm.remove', { what: `${u.name} (${u.email})` }) },
  );
  const actions = html`<div class="actions"><a class="button" href="${href(ctx, 'people', u.email, 'edit')}">${t('edit')}</a>${remove}</div>`;
  const details = html`<section class="card" id="details"><h2>${t('person.details')}</h2><dl class="facts">${facts.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>${actions}</section>`;
  return html`<p><a href="${href(ctx, 'people')}">${t('back.list')}</a></p>${details}${verificationCard(ctx, t, deps, u, v.verification, v.codeError)}${testsCard(ctx, t, deps, u, v.recent)}`;
}

function testsCard(ctx: ConsoleContext, t: Translate, deps: ConsoleDeps, u: User, recent: RecentTest[]): Html {
  const buttons = TEST_KINDS.map((kind) => {
    const why = testBlocked(deps, u, kind);
    const id = `why-test-${kind}`;
    const button = html`<button type="submit" class="${kind === 'call' ? '' : 'secondary'}"${why ? html` disabled aria-describedby="${id}"` : null}>${t(`test.button.${kind}`)}</button>`;
    return html`<div class="test-choice">${form(ctx, href(ctx, 'people', u.email, `test-${kind}`), button, { live: true })}${why ? html`<small id="${id}" class="hint">${t.dynamic(`why.${why}`) ?? why}</small>` : null}</div>`;
  });
  const rows = recent.map((r) => [
    when(ctx, r.receivedAt),
    html`${t.dynamic(`kind.${r.kind}`) ?? r.kind}`,
    stateBadge(t, r.state),
    html`<a href="${href(ctx, 'people', u.email, 'test', r.id)}">${t('test.open')}</a>`,
  ]);
  const table = recent.length
    ? html`<h3>${t('test.recent')}</h3>${dataTable([t('test.col.when'), t('test.col.kind'), t('test.col.state'), ''], rows, '')}`
    : '';
  return html`<section class="card" id="tests"><h2>${t('test.title')}</h2><p class="muted">${t('test.explain')}</p><div class="test-buttons">${buttons}</div>${table}</section>`;
}
