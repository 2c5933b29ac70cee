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
      res
        .set('Retry-After', String(v.retryAfterS))
        .status(429)
        .json({ detail: throttledDetail(v.retryAfterS) });
      return;
    }
    res.status(403).json({ detail: 'Invalid token.' });
  };
}
