/**
 * /console/people/:email: one person: details (the number masked; the edit form shows it whole),
 * edit and remove, phone verification, and the test call, SMS and push with their recent runs.
 */
import type { User } from '../../directory/user';
import type { VerificationRow } from '../../verify/repo';
import type { ConsoleDeps } from '../deps';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { dataTable, esc, form, href, when } from '../ui';
import { TEST_KINDS, TEST_SOURCES, testBlocked } from './reach';
import { verificationCard } from './verification';
import { channelsText, maskedPhone, stateBadge, verifiedBadge } from './view';

export interface RecentTest {
  id: number;
  kind: string;
  state: string;
  receivedAt: number;
}

/** This person's latest test runs, newest first. */
export async function recentTests(deps: ConsoleDeps, u: User, limit = 5): Promise<RecentTest[]> {
  const rows = (await deps.db('notifications')
    .where({ user_id: u.id })
    .whereIn('source', Object.values(TEST_SOURCES))
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'kind', 'state', 'received_at')) as { id: number; kind: string; state: string; received_at: number | string }[];
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, state: r.state, receivedAt: Number(r.received_at) }));
}

export function personBody(ctx: ConsoleContext, t: Translate, deps: ConsoleDeps, u: User, v: { verification: VerificationRow | null; recent: RecentTest[]; codeError?: string }): string {
  const contacts = Object.entries(u.contacts);
  const facts: [string, string][] = [
    [t('col.email'), esc(u.email)],
    [t('col.phone'), `<span class="mono">${esc(maskedPhone(u))}</span> ${verifiedBadge(t, u)}`],
    [t('col.lang'), esc(t(`lang.${u.lang}`))],
    [t('col.channels'), esc(channelsText(t, u))],
    [t('col.role'), esc(t(`role.${u.role}`))],
    [t('form.pin'), esc(t(u.hasPin ? 'pin.set' : 'pin.none'))],
    [t('form.timezone'), esc(u.timezone ?? '—')],
    [t('form.contacts'), contacts.length ? `<ul class="plain">${contacts.map(([k, val]) => `<li><span class="mono">${esc(k)}</span>: ${esc(val)}</li>`).join('')}</ul>` : '—'],
    [t('person.added'), when(ctx, u.createdAt)],
    [t('person.changed'), when(ctx, u.updatedAt)],
  ];
  const actions =
    `<div class="actions"><a class="button" href="${esc(href(ctx, 'people', u.email, 'edit'))}">${esc(t('edit'))}</a>` +
    form(ctx, href(ctx, 'people', u.email, 'remove'), `<button type="submit" class="danger">${esc(t('person.remove'))}</button>`, `data-confirm="${esc(t('confirm.remove', { what: `${u.name} (${u.email})` }))}"`) +
    `</div>`;
  const details = `<section class="card" id="details"><h2>${esc(t('person.details'))}</h2><dl class="facts">${facts.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${val}</dd>`).join('')}</dl>${actions}</section>`;
  return `<p><a href="${esc(href(ctx, 'people'))}">${esc(t('back.list'))}</a></p>${details}${verificationCard(ctx, t, deps, u, v.verification, v.codeError)}${testsCard(ctx, t, deps, u, v.recent)}`;
}

function testsCard(ctx: ConsoleContext, t: Translate, deps: ConsoleDeps, u: User, recent: RecentTest[]): string {
  const buttons = TEST_KINDS.map((kind) => {
    const why = testBlocked(deps, u, kind);
    const id = `why-test-${kind}`;
    const button = `<button type="submit" class="${kind === 'call' ? '' : 'secondary'}"${why ? ` disabled aria-describedby="${id}"` : ''}>${esc(t(`test.button.${kind}`))}</button>`;
    return `<div class="test-choice">${form(ctx, href(ctx, 'people', u.email, `test-${kind}`), button, 'data-live-form')}${why ? `<small id="${id}" class="hint">${esc(t(`why.${why}`))}</small>` : ''}</div>`;
  }).join('');
  const rows = recent.map((r) => [
    when(ctx, r.receivedAt),
    esc(t(`kind.${r.kind}`)),
    stateBadge(t, r.state),
    `<a href="${esc(href(ctx, 'people', u.email, 'test', r.id))}">${esc(t('test.open'))}</a>`,
  ]);
  const table = recent.length ? `<h3>${esc(t('test.recent'))}</h3>${dataTable([t('test.col.when'), t('test.col.kind'), t('test.col.state'), ''], rows, '')}` : '';
  return `<section class="card" id="tests"><h2>${esc(t('test.title'))}</h2><p class="muted">${esc(t('test.explain'))}</p><div class="test-buttons">${buttons}</div>${table}</section>`;
}
