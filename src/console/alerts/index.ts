/**
 * /console/alerts: the alerts sent over the Opsgenie API (open, acknowledged, closed; search),
 * each with its timeline and the calls' Listen pages, acknowledge and close; and the integration
 * keys, created (shown once) and revoked here. Every change goes through the alerts services,
 * audited as the signed-in operator.
 */
import { Router, Request, Response } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { form, href, notice, words } from '../ui';
import { sendHtml } from '../../web/send';
import { html } from '../../web/html';
import type { AlertFilter } from '../../alerts/repo';
import { parseRoute } from '../../alerts/integrations';
import type { Notification } from '../../db/notifications-repo';
import { TEXTS } from './texts';
import { detailBody, filters, listBody, stateOf, type AlertState } from './view';
import { integrationsBody, readRoutes } from './integrations-page';

const STATES: Record<AlertState | 'all', AlertFilter> = {
  open: { status: 'open', acknowledged: false },
  acknowledged: { status: 'open', acknowledged: true },
  closed: { status: 'closed' },
  all: {},
};

export function alertsArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  const alerts = deps.alerts;
  const actor = (res: Response) => ({ name: ctxOf(res).user.actor });

  r.get('/', async (req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const state = typeof req.query.state === 'string' && req.query.state in STATES ? (req.query.state as AlertState | 'all') : 'open';
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const list = alerts
      ? await alerts.service.list(
          { ...STATES[state], ...(q ? { text: q } : {}) },
          { offset: 0, limit: 100, sort: 'createdAt', order: 'desc' },
        )
      : [];
    sendHtml(
      res,
      200,
      shell(ctx, { title: t('list.title'), section: 'alerts', body: html`${filters(ctx, t, state, q)}${listBody(ctx, t, list)}` }),
    );
  });

  r.get('/integrations', async (_req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const list = alerts ? await alerts.integrations.list() : [];
    sendHtml(res, 200, shell(ctx, { title: t('int.title'), section: 'alerts', body: integrationsBody(ctx, t, list) }));
  });

  r.post('/integrations', async (req: Request, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    if (!alerts) return res.redirect(303, href(ctx, 'alerts'));
    const b = req.body as Record<string, unknown>;
    const values = { name: String(b.name ?? '').trim(), team: String(b.team ?? '').trim(), routes: String(b.routes ?? '') };
    const errors: Record<string, string> = {};
    if (!values.name || values.name.length > 100) errors.name = t('int.badName');
    const routes = readRoutes(values.routes, parseRoute);
    if (routes.bad !== null) errors.routes = t('int.badRoute', { rule: routes.bad });
    if (Object.keys(errors).length) {
      const body = integrationsBody(ctx, t, await alerts.integrations.list(), { errors, values });
      return sendHtml(res, 400, shell(ctx, { title: t('int.title'), section: 'alerts', body }));
    }
    const made = await alerts.integrations.create(ctx.user.actor, {
      name: values.name,
      defaultTeam: values.team || null,
      rules: routes.rules,
    });
    const created = { name: values.name, key: made.key, url: new URL('v2/alerts', deps.config.publicUrl).toString() };
    // The only page that ever carries the key: answered directly, never behind a redirect or in a log.
    sendHtml(
      res,
      201,
      shell(ctx, {
        title: t('int.title'),
        section: 'alerts',
        body: integrationsBody(ctx, t, await alerts.integrations.list(), { created }),
      }),
    );
  });

  r.post('/integrations/:id/revoke', async (req, res) => {
    const ctx = ctxOf(res);
    if (alerts) await alerts.integrations.revoke(ctx.user.actor, String(req.params.id));
    res.redirect(303, href(ctx, 'alerts', 'integrations'));
  });

  r.get('/:id', async (req, res, next) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const a = alerts ? await alerts.service.get({ identifier: String(req.params.id), type: 'id' }) : null;
    if (!a || !alerts) return next();
    const events = await alerts.service.events(a.id);
    const pages = new Map<number, Notification>();
    for (const e of events) {
      const n = e.notificationId === null ? null : await deps.notifications.get(e.notificationId);
      if (n) pages.set(n.id, n);
    }
    const state = stateOf(a);
    const button = (action: 'acknowledge' | 'close') =>
      form(ctx, href(ctx, 'alerts', a.id, action), html`<button type="submit">${t(`act.${action}`)}</button>`, { cls: 'inline' });
    const actions =
      state === 'closed' ? null : html`<p class="actions">${state === 'open' ? button('acknowledge') : null}${button('close')}</p>`;
    const done = req.query.done === 'acknowledge' || req.query.done === 'close' ? notice(t(`done.${req.query.done}`), 'good') : null;
    const title = t('detail.title', { tiny: a.tinyId });
    sendHtml(res, 200, shell(ctx, { title, section: 'alerts', body: detailBody(ctx, t, a, events, pages, actions), flash: done }));
  });

  for (const action of ['acknowledge', 'close'] as const) {
    r.post(`/:id/${action}`, async (req, res) => {
      const ctx = ctxOf(res);
      const id = String(req.params.id);
      if (alerts) await alerts.service.act(actor(res), { identifier: id, type: 'id' }, { action });
      res.redirect(303, `${href(ctx, 'alerts', id)}?done=${action}`);
    });
  }

  return { path: '/alerts', router: r };
}
