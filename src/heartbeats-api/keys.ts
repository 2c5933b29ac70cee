/**
 * Where heartbeat senders put their key: `Authorization: GenieKey <key>` (Opsgenie SDK),
 * `Authorization: Basic <base64 key>` or `user:key` (Opsgenie docs, Alertmanager basic_auth),
 * `Authorization: Bearer <key>` (Alertmanager `authorization:`), or `?apiKey=`.
 * Compared in constant time against DOZVON_HEARTBEAT_KEYS.
 */
import type { Request } from '../http/express';
import { matchesAny } from '../http/auth';
import { checkSecret, type SecretVerdict } from '../http/secret-limits';
import type { HeartbeatApiDeps } from './deps';

/** Every candidate the request offers; any one matching a configured key is enough. */
export function offeredKeys(req: Request): string[] {
  const out: string[] = [];
  const q = req.query.apiKey;
  if (typeof q === 'string' && q) out.push(q);
  const header = req.get('authorization')?.trim() ?? '';
  const m = /^(GenieKey|Bearer|Basic)\s+(.+)$/i.exec(header);
  if (m) {
    const scheme = m[1].toLowerCase();
    const value = m[2].trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) out.push(decoded);
      else out.push(decoded.slice(colon + 1), decoded.slice(0, colon));
    } else out.push(value);
  }
  return out.filter((k) => k.length > 0 && k.length <= 512);
}

export function hasValidKey(req: Request, keys: readonly string[]): boolean {
  let ok = false;
  // Check every candidate so the position of a match does not show in the timing.
  for (const k of offeredKeys(req)) ok = matchesAny(k, keys) || ok;
  return ok;
}

/** The key check counted against the client's address; a request offering no key guessed nothing. */
export function checkKey(req: Request, deps: Pick<HeartbeatApiDeps, 'keys' | 'keyFailures'>): SecretVerdict {
  return checkSecret(deps.keyFailures, req, offeredKeys(req).length > 0, () => hasValidKey(req, deps.keys));
}
