/**
 * Token checks in constant time. Both sides are hashed first so neither the length nor the
 * content of a configured token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from './express';
import { clientKey, type FailureLimiter } from './limiter';
import { checkSecret } from './secret-limits';
import { throttledDetail } from './throttled';

export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** True if `given` equals any of `tokens`; every token is compared so the match position does not leak. */
export function matchesAny(given: string | undefined, tokens: readonly string[]): boolean {
  if (given === undefined || given === '') return false;
  let ok = false;
  for (const t of tokens) ok = safeEqual(given, t) || ok;
  return ok;
}

/**
 * OnCall's engine sends the raw token with no scheme; anything else is 403 "Invalid token." as the
 * cloud answers. An address locked out by `limiter` gets the cloud's throttling answer, which the
 * engine reports as a failed call or SMS without retrying.
 */
export function cloudAuth(tokens: readonly string[], limiter: FailureLimiter): RequestHandler {
  return (req, res, next) => {
    const given = req.get('authorization');
    const v = checkSecret(limiter, req, !!given, () => matchesAny(given, tokens));
    if (v.ok) return next();
    if (v.retryAfterS !== null) {
      res.set('Retry-After', String(v.retryAfterS)).status(429).json({ detail: throttledDetail(v.retryAfterS) });
      return;
    }
    res.status(403).json({ detail: 'Invalid token.' });
  };
}

/**
 * Bearer token for the admin API and status page. Without a configured token the admin API is off.
 * With a limiter, an address that failed too often gets 429 before its token is even looked at.
 */
export function adminAuth(token: string | null, limiter?: FailureLimiter): RequestHandler {
  return (req, res, next) => {
    if (token === null) {
      res.status(403).json({ error: 'admin-disabled', detail: 'The admin API is disabled: set DOZVON_ADMIN_TOKEN.' });
      return;
    }
    const who = clientKey(req);
    const wait = limiter?.retryAfterMs(who) ?? 0;
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000))).status(429).json({ error: 'too-many-failures', detail: 'Too many wrong admin tokens from this address; try again later.' });
      return;
    }
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (m && safeEqual(m[1].trim(), token)) {
      limiter?.succeed(who);
      return next();
    }
    limiter?.fail(who);
    res.set('WWW-Authenticate', 'Bearer realm="dozvon"').status(401).json({ error: 'unauthorized', detail: 'Authorization: Bearer <DOZVON_ADMIN_TOKEN> required.' });
  };
}
