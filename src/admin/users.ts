/** /api/admin/users: the directory over HTTP, same fields as the CLI flags. */
import { Router, RouterT, Response } from '../http/express';
import { userCreateSchema, userPatchSchema, userView } from '../directory/user';
import type { UsersRepo } from '../directory/users-repo';
import type { People } from '../directory/people-service';
import { describeIssues } from '../core/validate';
import { AppError } from '../core/errors';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';
import { clientKey } from '../http/limiter';
import type { Request } from '../http/express';

/** The admin API has one token; the audit log names the route and the client address. */
export function apiActor(req: Request): string {
  return `admin API (${clientKey(req)})`;
}

export function adminUsersRouter(deps: { users: UsersRepo; people: People; logger: Logger }): RouterT {
  const r = Router({ strict: false });

  r.get('/users', async (_req, res) => {
    const { users, total } = await deps.users.list({ limit: 100000 });
    res.json({ count: total, results: users.map((u) => userView(u)) });
  });

  r.post('/users', async (req, res) => {
    const parsed = userCreateSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(res, describeIssues(parsed.error));
    try {
      const u = await deps.people.create(apiActor(req), parsed.data);
      deps.logger.info({ user: maskEmail(u.email) }, 'user created');
      res.status(201).json(userView(u));
    } catch (e) {
      mapError(res, e);
    }
  });

  r.get('/users/:email', async (req, res) => {
    const u = await deps.users.getByEmail(String(req.params.email));
    if (!u) return notFound(res, String(req.params.email));
    res.json(userView(u));
  });

  r.patch('/users/:email', async (req, res) => {
    const parsed = userPatchSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(res, describeIssues(parsed.error));
    try {
      const u = await deps.people.update(apiActor(req), String(req.params.email), parsed.data);
      deps.logger.info({ user: maskEmail(u.email) }, 'user updated');
      res.json(userView(u));
    } catch (e) {
      mapError(res, e);
    }
  });

  r.delete('/users/:email', async (req, res) => {
    const removed = await deps.people.remove(apiActor(req), String(req.params.email));
    if (!removed) return notFound(res, String(req.params.email));
    deps.logger.info({ user: maskEmail(String(req.params.email)) }, 'user removed');
    res.status(204).end();
  });
  return r;
}

function invalid(res: Response, detail: string): void {
  res.status(400).json({ error: 'invalid', detail });
}

function notFound(res: Response, email: string): void {
  res.status(404).json({ error: 'not-found', detail: `no user with email ${email.slice(0, 254)}` });
}

function mapError(res: Response, e: unknown): void {
  if (e instanceof AppError && e.code === 'conflict') {
    res.status(409).json({ error: 'conflict', detail: e.message });
    return;
  }
  if (e instanceof AppError && e.code === 'not-found') {
    res.status(404).json({ error: 'not-found', detail: e.message });
    return;
  }
  throw e;
}
