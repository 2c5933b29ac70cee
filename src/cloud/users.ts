/**
 * GET api/v1/users: the engine's user sync. Runs every minute for two hours a day and pages
 * through everyone, so it is one indexed query per page and never rate-limited.
 */
import { Router, RouterT, Request } from '../http/express';
import type { CloudDeps } from './deps';
import type { User, Role } from '../directory/user';
import { ROLES } from '../directory/user';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function usersRouter(deps: Pick<CloudDeps, 'config' | 'users'>): RouterT {
  const r = Router({ strict: false });
  r.get('/api/v1/users', async (req, res) => {
    const q = parseQuery(req);
    if ('error' in q) {
      res.status(q.status).json(q.error);
      return;
    }
    let found = await deps.users.list({ email: q.email, username: q.username, roles: q.roles, offset: 0, limit: 0 });
    let email = q.email;
    // The engine pastes a raw email into the query string, so "a+b@x.com" arrives as "a b@x.com".
    if (email !== undefined && found.total === 0 && email.includes(' ')) {
      email = email.replace(/ /g, '+');
      found = await deps.users.list({ email, username: q.username, roles: q.roles, offset: 0, limit: 0 });
    }
    const total = found.total;
    const totalPages = Math.max(1, Math.ceil(total / q.pageSize));
    const page = Math.min(q.page, totalPages); // past the end → the last page, as the cloud's paginator does
    const { users } = await deps.users.list({
      email,
      username: q.username,
      roles: q.roles,
      offset: (page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    const link = (p: number) => pageLink(deps.config.publicUrl, req, p);
    res.status(200).json({
      count: total,
      next: page < totalPages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: users.map((u) => (q.short ? shortUser(u) : fullUser(u))),
      current_page_number: page,
      page_size: q.pageSize,
      total_pages: totalPages,
    });
  });
  return r;
}

interface UsersQuery {
  page: number;
  pageSize: number;
  short: boolean;
  roles?: Role[];
  email?: string;
  username?: string;
}

function one(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

function parseQuery(req: Request): UsersQuery | { status: number; error: Record<string, unknown> } {
  const query = req.query as Record<string, unknown>;
  const pageRaw = one(query.page);
  let page = 1;
  if (pageRaw !== undefined && pageRaw !== '') {
    if (pageRaw === 'last') page = Number.MAX_SAFE_INTEGER;
    else if (!/^\d+$/.test(pageRaw) || Number(pageRaw) < 1) return { status: 404, error: { detail: 'Invalid page.' } };
    else page = Number(pageRaw);
  }
  const perRaw = one(query.perpage);
  let pageSize = DEFAULT_PAGE_SIZE;
  if (perRaw !== undefined && /^\d+$/.test(perRaw) && Number(perRaw) > 0) pageSize = Math.min(Number(perRaw), MAX_PAGE_SIZE);
  const rolesRaw = query.roles === undefined ? [] : Array.isArray(query.roles) ? query.roles.map(String) : [String(query.roles)];
  const roles: Role[] = [];
  for (const r of rolesRaw) {
    if (!/^[0-3]$/.test(r)) return { status: 400, error: { roles: [`Select a valid choice. ${r} is not one of the available choices.`] } };
    roles.push(ROLES[Number(r)]);
  }
  const email = one(query.email);
  const username = one(query.username);
  return {
    page,
    pageSize,
    short: one(query.short) === 'true',
    roles: roles.length ? roles : undefined,
    email: email === undefined || email === '' ? undefined : email,
    username: username === undefined || username === '' ? undefined : username,
  };
}

function pageLink(publicUrl: string, req: Request, page: number): string {
  const u = new URL('api/v1/users', publicUrl);
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (k === 'page') continue;
    for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item));
  }
  u.searchParams.set('page', String(page));
  return u.toString();
}

/** "We can call this person": a verified number and voice or SMS among their channels. */
function callable(u: User): boolean {
  return u.phone !== null && u.phoneVerified;
}

function shortUser(u: User): Record<string, unknown> {
  return { id: u.publicId, grafana_id: u.id, email: u.email, username: u.username, role: u.role, is_phone_number_verified: callable(u) };
}

function fullUser(u: User): Record<string, unknown> {
  return { ...shortUser(u), name: u.name, slack: null, timezone: u.timezone ?? 'UTC', teams: [] };
}
