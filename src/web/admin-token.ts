/**
 * Every door the admin token opens (the sign-in form, the admin API, `Authorization: Bearer` on
 * the console and the status page) goes through one guard with one failure limiter, so guesses
 * spread over several doors still count against the same address, and an address that guessed
 * too often is refused everywhere (429, even for the right token) until its failures age out.
 */
import type { Request, RequestHandler } from '../http/express';
import { safeEqual } from '../http/auth';
import { FailureLimiter, clientKey } from '../http/limiter';

/** Wrong admin tokens one client address may present within ADMIN_FAILURE_WINDOW_MS. */
export const ADMIN_FAILURES = 10;
export const ADMIN_FAILURE_WINDOW_MS = 15 * 60_000;

export type TokenCheck = { kind: 'ok' } | { kind: 'wrong' } | { kind: 'locked'; retryAfterSeconds: number };

export class AdminTokenGuard {
  private readonly failures: FailureLimiter;

  constructor(
    readonly token: string | null,
    now: () => number,
    o: { max?: number; windowMs?: number } = {},
  ) {
    this.failures = new FailureLimiter({ max: o.max ?? ADMIN_FAILURES, windowMs: o.windowMs ?? ADMIN_FAILURE_WINDOW_MS, now });
  }

  get enabled(): boolean {
    return this.token !== null;
  }

  /** Seconds this address must wait before presenting a token again (0: it may now). */
  lockedFor(req: Request): number {
    return Math.ceil(this.failures.retryAfterMs(clientKey(req)) / 1000);
  }

  /** Checks a presented token; the limit is looked at first, so a locked address learns nothing. */
  check(req: Request, given: string): TokenCheck {
    const who = clientKey(req);
    const wait = this.failures.retryAfterMs(who);
    if (wait > 0) return { kind: 'locked', retryAfterSeconds: Math.ceil(wait / 1000) };
    if (this.token !== null && given !== '' && safeEqual(given, this.token)) {
      this.failures.succeed(who);
      return { kind: 'ok' };
    }
    this.failures.fail(who);
    return { kind: 'wrong' };
  }

  /** The check for an `Authorization: Bearer` header, or null when the request carries none. */
  bearer(req: Request): TokenCheck | null {
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    return m ? this.check(req, m[1].trim()) : null;
  }
}

/** The admin API: Bearer only. Without a configured token it is off. */
export function adminAuth(guard: AdminTokenGuard): RequestHandler {
  return (req, res, next) => {
    if (!guard.enabled) {
      res.status(403).json({ error: 'admin-disabled', detail: 'The admin API is disabled: set DOZVON_ADMIN_TOKEN.' });
      return;
    }
    const verdict = guard.bearer(req) ?? guard.check(req, '');
    if (verdict.kind === 'ok') return next();
    if (verdict.kind === 'locked') {
      res
        .set('Retry-After', String(verdict.retryAfterSeconds))
        .status(429)
        .json({ error: 'too-many-failures', detail: 'Too many wrong admin tokens from this address; try again later.' });
      return;
    }
    res
      .set('WWW-Authenticate', 'Bearer realm="dozvon"')
      .status(401)
      .json({ error: 'unauthorized', detail: 'Authorization: Bearer <DOZVON_ADMIN_TOKEN> required.' });
  };
}
