/**
 * Token checks in constant time. Both sides are hashed first so neither the length nor the
 * content of a configured token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from './express';

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

/** OnCall's engine sends the raw token with no scheme; anything else is 403 "Invalid token." as the cloud answers. */
export function cloudAuth(tokens: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (matchesAny(req.get('authorization'), tokens)) return next();
    res.status(403).json({ detail: 'Invalid token.' });
  };
}
