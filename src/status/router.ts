/**
 * The status page at `/` and its login. Auth: `Authorization: Bearer <DOZVON_ADMIN_TOKEN>` (for
 * curl and scripts) or the session cookie set by POST /login (for browsers, since a meta refresh
 * cannot send a header). Without a configured admin token the page is disabled (403).
 */
import { Router, RouterT, Request, Response } from '../http/express';
import { safeEqual } from '../http/auth';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import { renderLoginPage, renderStatusPage } from './render';
import { SessionSigner, SESSION_COOKIE, clearedSessionCookie, readCookie, sessionCookie } from './session';
import type { SessionRevocations } from './revocations';
import { FailureLimiter, clientKey } from '../http/limiter';
import { BODY_LIMITS, BODY_REFUSED, readBody } from '../http/body';
import type { StatusSnapshot, StatusSource } from './types';

export interface StatusRouterDeps {
  source: StatusSource;
  adminToken: string | null;
  now: () => number;
  logger?: Logger;
  /** Mark the cookie Secure (set when DOZVON_PUBLIC_URL is https). */
  secureCookie?: boolean;
  refreshSeconds?: number;
  sessionTtlMs?: number;
  /** Deadline for each section's data; a slow section is shown as an error, the rest still renders. */
  sectionTimeoutMs?: number;
  /** Where logouts are kept (the database in production, so every instance refuses a logged-out cookie). */
  revocations: SessionRevocations;
  /** DOZVON_PUBLIC_URL: a sign-in form posted from its origin is ours even when a proxy rewrites Host. */
  publicUrl?: string;
  /** Wrong tokens one client address may try within loginFailureWindowMs before POST /login answers 429 (default 10 in 15 min). */
  loginFailures?: number;
  loginFailureWindowMs?: number;
}

const HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the login post.
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export function statusRouter(deps: StatusRouterDeps): RouterT {
  const r = Router();
  const token = deps.adminToken;
  const signer = token === null ? null : new SessionSigner(token, deps.sessionTtlMs ?? 12 * 3600_000);
  const secure = deps.secureCookie ?? false;
  // Per client address: someone guessing locks out themselves, not the owner.
  const failures = new FailureLimiter({ max: deps.loginFailures ?? 10, windowMs: deps.loginFailureWindowMs ?? 15 * 60_000, now: deps.now });
  const publicOrigin = originOf(deps.publicUrl);

  const send = (res: Response, status: number, html: string) => {
    res.set(HEADERS).status(status).type('html').send(html);
  };
  const authed = async (req: Request): Promise<boolean> => {
    if (token === null || signer === null) return false;
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (m) return safeEqual(m[1].trim(), token);
    const session = signer.read(readCookie(req.get('cookie'), SESSION_COOKIE), deps.now());
    return session !== null && !(await deps.revocations.isRevoked(session.nonce));
  };

  r.get('/', async (req, res) => {
    if (token === null) return send(res, 403, renderLoginPage({ disabled: true }));
    if (!(await authed(req))) {
      res.set('WWW-Authenticate', 'Bearer realm="dozvon"');
      return send(res, 401, renderLoginPage());
    }
    const snapshot = await gather(deps);
    send(res, 200, renderStatusPage(snapshot, { refreshSeconds: deps.refreshSeconds ?? 15 }));
  });

  r.get('/login', async (req, res) => {
    if (token === null) return send(res, 403, renderLoginPage({ disabled: true }));
    const next = consoleNext(req.query.next);
    if (await authed(req)) return res.set(HEADERS).redirect(303, next ?? './');
    send(res, 200, renderLoginPage({ next: next ?? undefined }));
  });

  r.post('/login', async (req, res) => {
    if (token === null || signer === null) return send(res, 403, renderLoginPage({ disabled: true }));
    if (!sameOrigin(req, publicOrigin)) return send(res, 403, renderLoginPage({ error: 'Cross-site sign-in refused.' }));
    const who = clientKey(req);
    const wait = failures.retryAfterMs(who);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      return send(res, 429, renderLoginPage({ error: 'Too many wrong tokens from your address; try again later.' }));
    }
    // The form is read only now: a refused or throttled sign-in never has its body parsed.
    const body = await readBody(req, res, BODY_LIMITS.pageForm, (r, e) => send(r, e.status, renderLoginPage({ error: 'The form could not be read.' })));
    if (body === BODY_REFUSED) return;
    const field = (body as Record<string, unknown> | undefined)?.token;
    const given = typeof field === 'string' ? field.trim() : '';
    if (given === '' || !safeEqual(given, token)) {
      failures.fail(who);
      deps.logger?.warn({ client: who }, 'status page: wrong admin token');
      return send(res, 401, renderLoginPage({ error: 'Wrong token.', next: consoleNext((body as Record<string, unknown> | undefined)?.next) ?? undefined }));
    }
    failures.succeed(who);
    const next = (body as Record<string, unknown> | undefined)?.next;
    res.set(HEADERS).set('Set-Cookie', sessionCookie(signer.issue(deps.now()), signer.maxAgeSeconds, secure)).redirect(303, consoleNext(next) ?? './');
  });

  r.post('/logout', async (req, res) => {
    // Revoked server-side: a copy of the cookie (another tab, a stolen one) stops working too.
    const session = signer?.read(readCookie(req.get('cookie'), SESSION_COOKIE), deps.now()) ?? null;
    if (session) await deps.revocations.revoke(session.nonce, session.expiresAt);
    res.set(HEADERS).set('Set-Cookie', clearedSessionCookie(secure)).redirect(303, 'login');
  });
  return r;
}

/**
 * Where to go after signing in: only a console page, as a relative path (never another host or an
 * absolute path, so the parameter cannot send anyone off-site).
 */
export function consoleNext(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 500) return null;
  return /^console(\/[A-Za-z0-9._~%@\/-]*)?(\?[A-Za-z0-9._~%@&=+-]*)?$/.test(v) && !v.includes('//') && !v.includes('..') ? v : null;
}

/**
 * A browser's form post carries Origin; refuse one from another site (login CSRF). Ours is the
 * public URL's origin (behind a proxy that rewrites Host) or the Host the request came to (direct
 * access). Absent Origin: curl, allowed.
 */
function sameOrigin(req: Request, publicOrigin: string | null): boolean {
  const origin = req.get('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    const u = new URL(origin);
    return u.origin === publicOrigin || u.host === req.get('host');
  } catch {
    return false;
  }
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

async function gather(deps: StatusRouterDeps): Promise<StatusSnapshot> {
  const ms = deps.sectionTimeoutMs ?? 3000;
  const errors: string[] = [];
  const get = async <T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await withTimeout(fn(), ms, name);
    } catch (e) {
      errors.push(`${name}: ${errorMessage(e)}`);
      deps.logger?.warn({ section: name, err: errorMessage(e) }, 'status page section failed');
      return fallback;
    }
  };
  const [pages, attempts, heartbeats, health, queue] = await Promise.all([
    get('pages', () => deps.source.activePages(50), []),
    get('attempts', () => deps.source.recentAttempts(25), []),
    get('heartbeats', () => deps.source.heartbeats(), []),
    get('health', () => deps.source.health(), []),
    get('queue', () => deps.source.queueDepth(), {} as Record<string, number>),
  ]);
  return { now: deps.now(), pages, attempts, heartbeats, health, queue, errors };
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${name}: no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
