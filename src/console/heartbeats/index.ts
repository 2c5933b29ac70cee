/**
 * /console/heartbeats: dead man's switches. The list, the create and edit forms, one page per
 * heartbeat with its history and the URLs that ping it, and pause, resume, remove and a test
 * ping. Every change goes through the HeartbeatService (the same one the ping APIs use) and
 * into the audit log.
 */
import { Router, Request, Response } from '../../http/express';
import type { Heartbeat } from '../../watchers/heartbeats';
import { isDeclared } from '../../watchers/heartbeats/fields';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { href, notice, words } from '../ui';
import { TEXTS } from './texts';
import { listBody } from './list-page';
import { detailBody } from './detail-page';
import { heartbeatForm, valuesOf, FormValues, FormErrors } from './form';
import { pickKey } from './ping-help';
import { STRIP_EVENTS } from './timeline';
import { doneNotice } from './view';
import { heartbeatActions } from './actions';
import type { HeartbeatPages } from './pages';
import { HEARTBEATS_CSS } from './style';
import { sendHtml } from '../../web/send';
import { html, type Html } from '../../web/html';

export function heartbeatsArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  const pages = heartbeatPages(deps);

  r.get('/', async (req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const body = listBody(ctx, t, {
      heartbeats: await deps.heartbeats.list(),
      unknown: deps.heartbeats.unknownPings(),
      people: await pages.people(),
      defaults: pages.defaults(),
    });
    sendHtml(res, 200, shell(ctx, { title: t('list.title'), section: 'heartbeats', body, flash: doneNotice(t, req.query.done) }));
  });

  r.get('/new', async (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name.slice(0, 200) : '';
    await pages.sendNew(res, { name, kind: 'healthchecks', every: '5m', grace: '1m', page: [], description: '' }, {}, 200);
  });

  r.get('/:name', async (req, res) => {
    const hb = await pages.named(req, res);
    if (hb) await pages.sendDetail(req, res, hb, doneNotice(words(ctxOf(res), TEXTS), req.query.done, hb.name), 200);
  });

  r.get('/:name/edit', async (req, res) => {
    const hb = await pages.named(req, res);
    if (hb) await pages.sendEdit(res, hb, valuesOf(hb), {}, 200);
  });

  heartbeatActions(r, deps, pages);
  return { path: '/heartbeats', router: r, css: HEARTBEATS_CSS };
}

function heartbeatPages(deps: ConsoleDeps): HeartbeatPages {
  const self: HeartbeatPages = {
    people: async () => (await deps.users.list()).users,
    defaults: () => deps.config.sections.heartbeats?.page ?? [],
    declared: (name) => isDeclared(deps.config.sections.heartbeats?.declare, name),

    async named(req, res) {
      const name = String(req.params.name ?? '');
      const hb = name.length >= 1 && name.length <= 200 ? await deps.heartbeats.get(name) : null;
      if (hb) return hb;
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const body = html`<p>${t('notFound.text')}</p><p><a href="${href(ctx, 'heartbeats')}">${t('detail.back')}</a></p>`;
      sendHtml(res, 404, shell(ctx, { title: t('notFound.title'), section: 'heartbeats', body }));
      return null;
    },

    async sendNew(res, values, errors, status) {
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const intro = html`<p class="muted">${t('new.intro')}</p>`;
      const body = html`${intro}${heartbeatForm(ctx, t, { mode: 'create', action: href(ctx, 'heartbeats', 'new'), values, errors, people: await self.people(), defaults: self.defaults() })}`;
      sendHtml(
        res,
        status,
        shell(ctx, {
          title: t('new.title'),
          section: 'heartbeats',
          body,
          flash: Object.keys(errors).length ? notice(t('error.invalid'), 'bad') : null,
        }),
      );
    },

    async sendEdit(res, hb, values, errors, status) {
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const title = t('edit.title', { name: hb.name });
      if (self.declared(hb.name)) {
        const body = html`<p><a href="${href(ctx, 'heartbeats', hb.name)}">${t('detail.backTo', { name: hb.name })}</a></p>`;
        sendHtml(res, 409, shell(ctx, { title, section: 'heartbeats', body, flash: notice(t('detail.declared'), 'bad') }));
        return;
      }
      const form = heartbeatForm(ctx, t, {
        mode: 'edit',
        action: href(ctx, 'heartbeats', hb.name, 'edit'),
        values: { ...values, name: hb.name, kind: hb.kind },
        errors,
        people: await self.people(),
        defaults: self.defaults(),
      });
      sendHtml(
        res,
        status,
        shell(ctx, {
          title,
          section: 'heartbeats',
          body: form,
          flash: Object.keys(errors).length ? notice(t('error.invalid'), 'bad') : null,
        }),
      );
    },

    async sendDetail(req, res, hb, flash, status) {
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const events = await deps.heartbeats.history(hb.name, STRIP_EVENTS);
      const body = detailBody(ctx, t, {
        hb,
        events,
        readLimit: STRIP_EVENTS,
        people: await self.people(),
        defaults: self.defaults(),
        declared: self.declared(hb.name),
        publicUrl: deps.config.publicUrl,
        key: pickKey(deps.config.heartbeatKeys, req.query.key),
      });
      sendHtml(res, status, shell(ctx, { title: hb.name, section: 'heartbeats', body, flash }));
    },
  };
  return self;
}
