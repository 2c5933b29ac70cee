/**
 * The status page at `/` and its login. Auth: `Authorization: Bearer <DOZVON_ADMIN_TOKEN>` (for
 * curl and scripts) or the session cookie set by POST /login (for browsers, since a meta refresh
 * cannot send a header). Without a configured admin token the page is disabled (403).
 */
import { Router, RouterT, Request, Response } from '../http/express';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import { renderLoginPage, renderStatusPage } from './render';
import { SessionSigner, SESSION_COOKIE, clearedSessionCookie, readCookie, sessionCookie } from '../web/session';
import type { SessionRevocations } from '../web/revocations';
import { CsrfTokens } from '../web/csrf';
import type { AdminTokenGuard } from '../web/admin-token';
import { cookiePath, fromOurOrigin } from '../web/origin';
import { sendHtml } from '../web/send';
import { sendFavicon } from '../web/favicon';
import type { Html } from '../web/html';
import { clientKey } from '../http/limiter';
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
  /** The guard every door of the admin token shares: guesses here count at the admin API and the console too. */
  adminGuard: AdminTokenGuard;
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
  const csrf = token === null ? null : new CsrfTokens(token);
  const secure = deps.secureCookie ?? false;
  const path = cookiePath(deps.publicUrl);
  // Per client address: someone guessing locks out themselves, not the owner.
  const guard = deps.adminGuard;

  const send = (res: Response, status: number, page: Html) => sendHtml(res.set(HEADERS), status, page);
  const locked = (res: Response, retryAfterSeconds: number) => {
    res.set('Retry-After', String(retryAfterSeconds));
    send(res, 429, renderLoginPage({ error: 'Too many wrong tokens from your address; try again later.' }));
  };
  const session = (req: Request) => signer?.read(readCookie(req.get('cookie'), SESSION_COOKIE), deps.now()) ?? null;

  // Browsers ask for it on every page (the console's and this one); an answer saves a 404 each time.
  r.get('/favicon.ico', (_req, res) => sendFavicon(res));

  r.get('/', async (req, res) => {
    if (token === null) return send(res, 403, renderLoginPage({ disabled: true }));
    const bearer = guard.bearer(req);
    if (bearer?.kind === 'locked') return locked(res, bearer.retryAfterSeconds);
    const current = session(req);
    const signedIn = bearer ? bearer.kind === 'ok' : current !== null && !(await deps.revocations.isRevoked(current.nonce));
    if (!signedIn) {
      res.set('WWW-Authenticate', 'Bearer realm="dozvon"');
      return send(res, 401, renderLoginPage());
    }
    const snapshot = await gather(deps);
    const logoutCsrf = !bearer && current && csrf ? csrf.tokenFor(current.nonce) : null;
    send(res, 200, renderStatusPage(snapshot, { refreshSeconds: deps.refreshSeconds ?? 15, csrf: logoutCsrf }));
  });

  r.get('/login', async (req, res) => {
    if (token === null) return send(res, 403, renderLoginPage({ disabled: true }));
    const next = consoleNext(req.query.next);
    const current = session(req);
    if (current !== null && !(await deps.revocations.isRevoked(current.nonce))) return res.set(HEADERS).redirect(303, next ?? './');
    send(res, 200, renderLoginPage({ next: next ?? undefined }));
  });

  r.post('/login', async (req, res) => {
    if (token === null || signer === null) return send(res, 403, renderLoginPage({ disabled: true }));
    if (!fromOurOrigin(req, deps.publicUrl)) return send(res, 403, renderLoginPage({ error: 'Cross-site sign-in refused.' }));
    const wait = guard.lockedFor(req);
    if (wait > 0) return locked(res, wait);
    // The form is read only now: a refused or throttled sign-in never has its body parsed.
    const body = await readBody(req, res, BODY_LIMITS.pageForm, (r, e) =>
      send(r, e.status, renderLoginPage({ error: 'The form could not be read.' })),
    );
    if (body === BODY_REFUSED) return;
    const fields = (body ?? {}) as Record<string, unknown>;
    const given = typeof fields.token === 'string' ? fields.token.trim() : '';
    const verdict = guard.check(req, given);
    if (verdict.kind === 'locked') return locked(res, verdict.retryAfterSeconds);
    if (verdict.kind === 'wrong') {
      deps.logger?.warn({ client: clientKey(req) }, 'status page: wrong admin token');
      return send(res, 401, renderLoginPage({ error: 'Wrong token.', next: consoleNext(fields.next) ?? undefined }));
    }
    res
      .set(HEADERS)
      .set('Set-Cookie', sessionCookie(signer.issue(deps.now()), signer.maxAgeSeconds, secure, path))
      .redirect(303, consoleNext(fields.next) ?? './');
  });

  r.post('/logout', async (req, res) => {
    // Checked like every other form: otherwise any site could sign the operator out.
    if (!fromOurOrigin(req, deps.publicUrl)) return send(res, 403, renderLoginPage({ error: 'Cross-site sign-out refused.' }));
    const current = session(req);
    if (current) {
      const body = await readBody(req, res, BODY_LIMITS.pageForm, (r, e) =>
        send(r, e.status, renderLoginPage({ error: 'The form could not be read.' })),
      );
      if (body === BODY_REFUSED) return;
      if (!csrf?.matches(current.nonce, ((body ?? {}) as Record<string, unknown>)._csrf))
        return send(res, 403, renderLoginPage({ error: 'This form expired or came from another site. Reload the page and try again.' }));
      // Revoked server-side: a copy of the cookie (another tab, a stolen one) stops working too.
      await deps.revocations.revoke(current.nonce, current.expiresAt);
    }
    res.set(HEADERS).set('Set-Cookie', clearedSessionCookie(secure, path)).redirect(303, 'login');
  });
  return r;
}

/**
 * Where to go after signing in: only a console page, as a relative path (never another host or an
 * absolute path, so the parameter cannot send anyone off-site).
 */
export function consoleNext(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 500) return null;
  if (!/^console(\/[A-Za-z0-9._~%@\/-]*)?(\?[A-Za-z0-9._~%@&=+-]*)?$/.test(v) || v.includes('//') || v.includes('..')) return null;
  // The browser decodes %2e%2e (and %2f) before resolving dot segments: judge the path it will use.
  let path: string;
  try {
    path = decodeURIComponent(v.split('?')[0]);
  } catch {
    return null;
  }
  const segments = path.split(/[/\\]/);
  if (segments[0] !== 'console' || segments.some((s) => s === '.' || s === '..' || /[\u0000-\u001f]/.test(s))) return null;
  return v;
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
  const now = deps.now();
  const [pages, attempts, heartbeats, health, queue, delivery] = await Promise.all([
    get('pages', () => deps.source.activePages(50), []),
    get('attempts', () => deps.source.recentAttempts(25), []),
    get('heartbeats', () => deps.source.heartbeats(), []),
    get('health', () => deps.source.health(), []),
    get('queue', () => deps.source.queueDepth(), {} as Record<string, number>),
    get('delivery', async () => (deps.source.delivery ? deps.source.delivery(now) : []), []),
  ]);
  return { now, pages, attempts, heartbeats, health, queue, delivery, errors };
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
