/** /console/people: everyone dozvon can page, with their numbers masked, and the way to add more. */
import type { User } from '../../directory/user';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { dataTable, esc, href } from '../ui';
import { channelsText, maskedPhone, verifiedBadge } from './view';

export function listBody(ctx: ConsoleContext, t: Translate, people: User[]): string {
  const buttons = `<div class="actions"><a class="button" href="${esc(href(ctx, 'people', 'new'))}">${esc(t('list.add'))}</a><a class="button secondary" href="${esc(href(ctx, 'people', 'import'))}">${esc(t('list.import'))}</a></div>`;
  if (people.length === 0) {
    return `<section class="card people-empty"><h2>${esc(t('empty.title'))}</h2><p>${esc(t('empty.text'))}</p><ol><li>${esc(t('empty.step1'))}</li><li>${esc(t('empty.step2'))}</li><li>${esc(t('empty.step3'))}</li></ol>${buttons}</section>`;
  }
  const verified = people.filter((u) => u.phone && u.phoneVerified).length;
  const rows = people.map((u) => [
    `<a href="${esc(href(ctx, 'people', u.email))}">${esc(u.name)}</a>`,
    `<span class="people-email">${esc(u.email)}</span>`,
    `<span class="mono">${esc(maskedPhone(u))}</span>`,
    esc(t(`lang.${u.lang}`)),
    esc(channelsText(t, u)),
    verifiedBadge(t, u),
    esc(t(`role.${u.role}`)),
  ]);
  const headers = [t('col.name'), t('col.email'), t('col.phone'), t('col.lang'), t('col.channels'), t('col.verified'), t('col.role')];
  return `${buttons}<p class="muted">${esc(t('list.count', { n: people.length, verified }))}</p>${dataTable(headers, rows, '', 'people-table')}`;
}
