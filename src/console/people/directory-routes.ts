/**
 * Adding, changing and removing people: validated by the schemas `users add` and `users set`
 * use, refused with the form re-rendered (values kept, never the PIN), and written through the
 * People service, which audits the fields touched (PINs only as "set"/"cleared", phones masked).
 */
import type { Request, Response, RouterT } from '../../http/express';
import { AppError } from '../../core/errors';
import { maskEmail } from '../../core/mask';
import type { User } from '../../directory/user';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { href, words } from '../ui';
import { TEXTS } from './texts';
import { readCreate, readEdit, valuesFrom } from './person-form';
import { personOr404 } from './view';
import type { PeoplePages } from './pages';

export function directoryRoutes(r: RouterT, deps: ConsoleDeps, pages: PeoplePages): void {
  r.post('/new', (req, res) => add(deps, pages, req, res));
  r.post('/:email/edit', (req, res) => edit(deps, pages, req, res));
  r.post('/:email/remove', async (req, res) => {
    const u = await personOr404(deps, req, res);
    if (!u) return;
    if (!(await deps.people.remove(ctxOf(res).user.actor, u.email))) return void (await personOr404(deps, req, res));
    deps.logger.info({ user: maskEmail(u.email) }, 'user removed in the console');
    res.redirect(303, `${href(ctxOf(res), 'people')}?done=removed`);
  });
}

async function add(deps: ConsoleDeps, pages: PeoplePages, req: Request, res: Response): Promise<void> {
  const ctx = ctxOf(res);
  const t = words(ctx, TEXTS);
  const body = req.body as Record<string, unknown>;
  const read = readCreate(t, body);
  if ('errors' in read) return pages.sendForm(res, 400, valuesFrom(body), read.errors);
  const duplicate = () => pages.sendForm(res, 400, valuesFrom(body), { email: t('err.duplicate') });
  if (await deps.users.getByEmail(read.input.email)) return duplicate();
  let u: User;
  try {
    u = await deps.people.create(ctx.user.actor, read.input);
  } catch (e) {
    if (e instanceof AppError && e.code === 'conflict') return duplicate();
    throw e;
  }
  deps.logger.info({ user: maskEmail(u.email) }, 'user created in the console');
  res.redirect(303, `${href(ctx, 'people', u.email)}?done=saved`);
}

async function edit(deps: ConsoleDeps, pages: PeoplePages, req: Request, res: Response): Promise<void> {
  const u = await personOr404(deps, req, res);
  if (!u) return;
  const ctx = ctxOf(res);
  const t = words(ctx, TEXTS);
  const body = req.body as Record<string, unknown>;
  const read = readEdit(t, body, u);
  if ('errors' in read) return pages.sendForm(res, 400, valuesFrom(body), read.errors, u);
  if (Object.keys(read.patch).length === 0) return res.redirect(303, `${href(ctx, 'people', u.email)}?done=unchanged`);
  let after: User;
  try {
    after = await deps.people.update(ctx.user.actor, u.email, read.patch);
  } catch (e) {
    if (e instanceof AppError && e.code === 'conflict') return pages.sendForm(res, 400, valuesFrom(body), { email: t('err.duplicate') }, u);
    throw e;
  }
  deps.logger.info({ user: maskEmail(after.email), fields: Object.keys(read.patch) }, 'user updated in the console');
  res.redirect(303, `${href(ctx, 'people', after.email)}?done=saved`);
}
