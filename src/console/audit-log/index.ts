/** /console/audit: who changed what and when, newest first, 100 per page (older: ?before=<id>). */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { dataTable, href, when, words } from '../ui';
import { dict } from '../i18n';
import { sendHtml } from '../../web/send';
import { html, userText, type Html } from '../../web/html';

const TEXTS = dict(
  {
    title: 'Audit log',
    when: 'When',
    who: 'Who',
    what: 'What',
    target: 'On',
    detail: 'Details',
    empty: 'No changes recorded yet.',
    older: 'Older entries',
    api: 'The same log as JSON: GET /api/admin/audit',
  },
  {
    title: 'Журнал изменений',
    when: 'Когда',
    who: 'Кто',
    what: 'Что',
    target: 'Над чем',
    detail: 'Подробности',
    empty: 'Изменений пока не было.',
    older: 'Более ранние',
    api: 'Тот же журнал в JSON: GET /api/admin/audit',
  },
);
const PAGE = 100;

export function auditArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  r.get('/', async (req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const before = /^\d{1,12}$/.test(String(req.query.before ?? '')) ? Number(req.query.before) : undefined;
    const entries = await deps.audit.list({ limit: PAGE, beforeId: before });
    const rows = entries.map((e) => [
      when(ctx, e.at),
      userText(e.actor),
      html`<span class="mono">${e.action}</span>`,
      userText(e.target),
      e.detail ? html`<span class="mono">${userText(JSON.stringify(e.detail))}</span>` : html`—`,
    ]);
    const more =
      entries.length === PAGE
        ? html`<p><a href="${href(ctx, 'audit')}?before=${entries[entries.length - 1].id}">${t('older')}</a></p>`
        : '';
    const body = html`<section class="card">${dataTable([t('when'), t('who'), t('what'), t('target'), t('detail')], rows, t('empty'))}${more}<p class="muted">${t('api')}</p></section>`;
    sendHtml(res, 200, shell(ctx, { title: t('title'), section: 'audit', body }));
  });
  return { path: '/audit', router: r };
}
