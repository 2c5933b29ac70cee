/**
 * Token checks in constant time. Both sides are hashed first so neither the length nor the
 * content of a configured token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from './express';
import type { FailureLimiter } from './limiter';
import { checkSecret, type SecretRequest } from './secret-limits';
import type { JsonAnswer } from './answer';
import { throttledDetail } from './throttled';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** True if `given` equals any of `tokens`; every token is compared so the match position does not leak. */
export function matchesAny(given: string | undefined, tokens: readonly string[]): boolean {
  if (given === undefined || given === '') return false;
  // The offered secret is hashed once and the configured ones once per process: on OnCall's
  // pages, hashing every configured token again on every request was most of the check's cost.
  const a = digest(given);
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(a, configuredDigest(t)) || ok;
  return ok;
}

const configured = new Map<string, Buffer>();

/** Configured secrets are few and fixed for the process's life (a restart reads new ones). */
function configuredDigest(token: string): Buffer {
  let d = configured.get(token);
  if (!d) {
    d = digest(token);
    // Bounded all the same: a caller passing per-request values here must not grow it without end.
    if (configured.size >= 256) configured.clear();
    configured.set(token, d);
  }
  return d;
}

/**
 * OnCall's engine sends the raw token with no scheme; anything else is 403 "Invalid token." as the
 * cloud answers. An address locked out by `limiter` gets the cloud's throttling answer, which the
 * engine reports as a failed call or SMS without retrying.
 */
export function cloudAuth(tokens: readonly string[], limiter: FailureLimiter): RequestHandler {
  return (req, res, next) => {
    if (cloudTokenAccepted(tokens, limiter, req, res)) next();
  };
}

/** The check behind cloudAuth, for Express and the direct routes alike: true, or false once refused. */
export function cloudTokenAccepted(tokens: readonly string[], limiter: FailureLimiter, req: SecretRequest, res: JsonAnswer): boolean {
  const header = req.headers.authorization;
  const v = checkSecret(limiter, req, !!header, () => matchesAny(header, tokens));
  if (v.ok) return true;
  if (v.retryAfterS !== null) {
    res
      .set('Retry-After', String(v.retryAfterS))
      .status(429)
      .json({ detail: throttledDetail(v.retryAfterS) });
    return false;
  }
  res.status(403).json({ detail: 'Invalid token.' });
  return false;
}
