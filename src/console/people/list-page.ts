/** /console/people: everyone dozvon can page, with their numbers masked, and the way to add more. */
import type { User } from '../../directory/user';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { dataTable, href } from '../ui';
import { channelsText, maskedPhone, verifiedBadge } from './view';
import { html, userText, type Html } from '../../web/html';

export function listBody(ctx: ConsoleContext, t: Translate, people: User[]): Html {
  const buttons = html`<div class="actions"><a class="button" href="${href(ctx, 'people', 'new')}">${t('list.add')}</a><a class="button secondary" href="${href(ctx, 'people', 'import')}">${t('list.import')}</a></div>`;
  if (people.length === 0) {
    return html`<section class="card people-empty"><h2>${t('empty.title')}</h2><p>${t('empty.text')}</p><ol><li>${t('empty.step1')}</li><li>${t('empty.step2')}</li><li>${t('empty.step3')}</li></ol>${buttons}</section>`;
  }
  const verified = people.filter((u) => u.phone && u.phoneVerified).length;
  const rows = people.map((u) => [
    html`<a href="${href(ctx, 'people', u.email)}">${userText(u.name)}</a>`,
    html`<span class="people-email">${userText(u.email)}</span>`,
    html`<span class="mono">${maskedPhone(u)}</span>${u.phones.length > 1 ? html` <small title="${t('col.phones')}">+${u.phones.length - 1}</small>` : null}`,
    html`${t(`lang.${u.lang}`)}`,
    html`${channelsText(t, u)}`,
    verifiedBadge(t, u),
    html`${t(`role.${u.role}`)}`,
  ]);
  const headers = [t('col.name'), t('col.email'), t('col.phone'), t('col.lang'), t('col.channels'), t('col.verified'), t('col.role')];
  return html`${buttons}<p class="muted">${t('list.count', { n: people.length, verified })}</p>${dataTable(headers, rows, '', 'people-table')}`;
}
