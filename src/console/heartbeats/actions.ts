/**
 * The console's changes to heartbeats: create, edit, pause, resume, remove and a test ping. The
 * router has already checked origin and CSRF. Each change goes through the HeartbeatService and is
 * audited; the answer is a 303 back with `?done=`, or the form again with its errors (400).
 */
import type { RouterT, Response } from '../../http/express';
import { formatSeconds } from '../../watchers/duration';
import { emailKey } from '../../directory/users-repo';
import type { Heartbeat, HeartbeatPatch } from '../../watchers/heartbeats';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { href, notice, words } from '../ui';
import { TEXTS } from './texts';
import { checkForm, readForm, serviceRefusal, valuesOf } from './form';
import type { HeartbeatPages } from './pages';

export function heartbeatActions(r: RouterT, deps: ConsoleDeps, pages: HeartbeatPages): void {
  const audit = (res: Response, action: string, target: string, detail: Record<string, unknown> | null = null) =>
    deps.audit.record({ actor: ctxOf(res).user.actor, action, target, detail });
  const back = (res: Response, name: string, done: string) => res.redirect(303, `${href(ctxOf(res), 'heartbeats', name)}?done=${done}`);

  r.post('/new', async (req, res) => {
    const t = words(ctxOf(res), TEXTS);
    const values = readForm(req.body);
    const c = await checkForm(deps, t, values, 'create');
    if (Object.keys(c.errors).length) return pages.sendNew(res, values, c.errors, 400);
    let hb: Heartbeat;
    try {
      hb = await deps.heartbeats.create({ name: values.name, kind: c.kind, periodS: c.periodS, graceS: c.graceS, page: c.page, description: c.description });
    } catch (e) {
      return pages.sendNew(res, values, serviceRefusal(t, e, values.name), 400);
    }
    await audit(res, 'heartbeat.create', hb.name, { kind: hb.kind, every: formatSeconds(hb.periodS), grace: formatSeconds(hb.graceS), page: hb.page, description: hb.description });
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
    const changed = changes(hb, patch);
    if (Object.keys(changed).length) {
      try {
        await deps.heartbeats.update(hb.name, patch);
      } catch (e) {
        return pages.sendEdit(res, hb, values, serviceRefusal(t, e, hb.name), 400);
      }
      await audit(res, 'heartbeat.update', hb.name, changed);
    }
    back(res, hb.name, 'saved');
  });

  for (const pause of [true, false]) {
    r.post(`/:name/${pause ? 'pause' : 'resume'}`, async (req, res) => {
      const hb = await pages.named(req, res);
      if (!hb) return;
      if ((hb.state === 'paused') === pause) return back(res, hb.name, pause ? 'already-paused' : 'already-running');
      const after = pause ? await deps.heartbeats.disable(hb.name) : await deps.heartbeats.enable(hb.name);
      await audit(res, pause ? 'heartbeat.pause' : 'heartbeat.resume', hb.name, { from: hb.state, to: after.state });
      back(res, hb.name, pause ? 'paused' : 'resumed');
    });
  }

  r.post('/:name/ping', async (req, res) => {
    const hb = await pages.named(req, res);
    if (!hb) return;
    const { heartbeat } = await deps.heartbeats.ping(hb.name, { source: 'console' });
    await audit(res, 'heartbeat.ping', hb.name, { from: hb.state, to: heartbeat?.state ?? null });
    back(res, hb.name, 'pinged');
  });

  r.post('/:name/remove', async (req, res) => {
    const hb = await pages.named(req, res);
    if (!hb) return;
    const t = words(ctxOf(res), TEXTS);
    // As `dozvon heartbeats remove`: a declared heartbeat would come back at the next start.
    if (pages.declared(hb.name)) return pages.sendDetail(req, res, hb, notice(t('remove.declared'), 'bad'), 409);
    await deps.heartbeats.delete(hb.name);
    await audit(res, 'heartbeat.remove', hb.name, { kind: hb.kind, every: formatSeconds(hb.periodS), grace: formatSeconds(hb.graceS), page: hb.page, state: hb.state });
    res.redirect(303, `${href(ctxOf(res), 'heartbeats')}?done=removed`);
  });
}

/** What an edit changes, field by field, as the audit log shows it. */
function changes(hb: Heartbeat, p: HeartbeatPatch): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const before = valuesOf(hb);
  if (p.periodS !== undefined && p.periodS !== hb.periodS) out.every = { from: before.every, to: formatSeconds(p.periodS) };
  if (p.graceS !== undefined && p.graceS !== hb.graceS) out.grace = { from: before.grace, to: formatSeconds(p.graceS) };
  if (p.page !== undefined && sameSet(p.page) !== sameSet(hb.page)) out.page = { from: hb.page, to: p.page };
  if (p.description !== undefined && (p.description ?? null) !== (hb.description ?? null)) out.description = { from: hb.description, to: p.description };
  return out;
}

/** Page lists compared as sets of addresses, as the directory matches them (case-insensitive). */
function sameSet(emails: readonly string[]): string {
  return [...new Set(emails.map(emailKey))].sort().join(',');
}
