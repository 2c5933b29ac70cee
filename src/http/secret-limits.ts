/**
 * Failure limits for the secrets machines present: the OnCall engine's cloud token and the
 * heartbeat keys. One FailureLimiter per kind of secret, counted per client address as for the
 * admin token: an address that failed too often is answered 429 before its secret is even
 * compared, and one good request from it clears its count.
 */
import type { IncomingMessage } from 'node:http';
import { clientKey, FailureLimiter } from './limiter';

export type { FailureLimiter };

/**
 * Twice the admin token's allowance: senders are machines that share addresses (a cron host, a
 * NAT) and retry on their own schedule, and the good requests among them clear the count. Twenty
 * guesses per quarter hour against a secret of 16 characters or more is still nothing.
 */
export const SECRET_FAILURES = 20;
export const SECRET_FAILURE_WINDOW_MS = 15 * 60_000;

export function secretFailureLimiter(now: () => number): FailureLimiter {
  return new FailureLimiter({ max: SECRET_FAILURES, windowMs: SECRET_FAILURE_WINDOW_MS, now });
}

/** Let through, refused (a wrong or missing secret), or locked out for `retryAfterS` seconds. */
export type SecretVerdict = { ok: true } | { ok: false; retryAfterS: number | null };

/**
 * `offered`: the request put a secret forward. One that sends none guessed nothing, so it is not
 * counted (a flood without credentials must not lock the engine out of an address it shares).
 * `valid` runs only when the address is not locked out.
 */
/**
 * A request as the secret checks read it: its headers and its address. Express's `ip` follows the
 * trust-proxy setting; a request Express has not seen (direct.ts, served only without a trusted
 * proxy) has its socket's address, which is what `ip` is then.
 */
export type SecretRequest = Pick<IncomingMessage, 'headers' | 'socket'> & { ip?: string };

export function checkSecret(
  limiter: FailureLimiter | undefined,
  req: SecretRequest,
  offered: boolean,
  valid: () => boolean,
): SecretVerdict {
  const who = clientKey(req);
  const wait = limiter?.retryAfterMs(who) ?? 0;
  if (wait > 0) return { ok: false, retryAfterS: Math.ceil(wait / 1000) };
  if (valid()) {
    limiter?.succeed(who);
    return { ok: true };
  }
  if (offered) limiter?.fail(who);
  return { ok: false, retryAfterS: null };
}
