/**
 * The console's changes to heartbeats: create, edit, pause, resume, remove and a test ping. The
 * router has already checked origin and CSRF. Each change goes through the HeartbeatAdmin, which
 * audits it in the same transaction; the answer is a 303 back with `?done=`, or the form again with its errors (400).
 */
import type { RouterT, Response } from '../../http/express';
import type { Heartbeat, HeartbeatPatch } from '../../watchers/heartbeats';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { href, notice, words } from '../ui';
import { TEXTS } from './texts';
import { checkForm, readForm, serviceRefusal } from './form';
import type { HeartbeatPages } from './pages';

export function heartbeatActions(r: RouterT, deps: ConsoleDeps, pages: HeartbeatPages): void {
  const actor = (res: Response) => ctxOf(res).user.actor;
  const back = (res: Response, name: string, done: string) => res.redirect(303, `${href(ctxOf(res), 'heartbeats', name)}?done=${done}`);

  r.post('/new', async (req, res) => {
    const t = words(ctxOf(res), TEXTS);
    const values = readForm(req.body);
    const c = await checkForm(deps, t, values, 'create');
    if (Object.keys(c.errors).length) return pages.sendNew(res, values, c.errors, 400);
    let hb: Heartbeat;
    try {
      hb = await deps.heartbeatAdmin.create(actor(res), {
        name: values.name,
        kind: c.kind,
        periodS: c.periodS,
        graceS: c.graceS,
        page: c.page,
        description: c.description,
      });
    } catch (e) {
      return pages.sendNew(res, values, serviceRefusal(t, e, values.name), 400);
    }
    back(res, hb.name, 'created');
  });

  r.post('/:name/edit', async (req, res) => {
    const hb = await pages.named(req, res);
    if (!hb) return;
    const t = words(ctxOf(res), TEXTS);
    const values = { ...readForm(req.body), name: hb.name, kind: hb.kind };
    if (pages.declared(hb.name)) return pages.sendEdit(res, hb, values, {}, 409);
    const c = await checkForm(deps, t, values, 'edit');
    if (Object.keys(c.errors).length) return pages.sendEdit(res, hb, values, c.errors, 400);
    const patch: HeartbeatPatch = { periodS: c.periodS, graceS: c.graceS, page: c.page, description: c.description };
    try {
      await deps.heartbeatAdmin.update(actor(res), hb.name, patch);
    } catch (e) {
      return pages.sendEdit(res, hb, values, serviceRefusal(t, e, hb.name), 400);
    }
    back(res, hb.name, 'saved');
  });

  for (const pause of [true, false]) {
    r.post(`/:name/${pause ? 'pause' : 'resume'}`, async (req, res) => {
      const hb = await pages.named(req, res);
      if (!hb) return;
      if ((hb.state === 'paused') === pause) return back(res, hb.name, pause ? 'already-paused' : 'already-running');
      await (pause ? deps.heartbeatAdmin.pause(actor(res), hb.name) : deps.heartbeatAdmin.resume(actor(res), hb.name));
      back(res, hb.name, pause ? 'paused' : 'resumed');
    });
  }

  r.post('/:name/ping', async (req, res) => {
    const hb = await pages.named(req, res);
    if (!hb) return;
    await deps.heartbeatAdmin.ping(actor(res), hb.name, 'console');
    back(res, hb.name, 'pinged');
  });

  r.post('/:name/remove', async (req, res) => {
    const hb = await pages.named(req, res);
    if (!hb) return;
    const t = words(ctxOf(res), TEXTS);
    // As `dozvon heartbeats remove`: a declared heartbeat would come back at the next start.
    if (pages.declared(hb.name)) return pages.sendDetail(req, res, hb, notice(t('remove.declared'), 'bad'), 409);
    await deps.heartbeatAdmin.remove(actor(res), hb.name);
    res.redirect(303, `${href(ctxOf(res), 'heartbeats')}?done=removed`);
  });
}
