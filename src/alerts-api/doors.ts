/**
 * The way in: the paths real clients produce, and the integration key. Alertmanager keeps any
 * prefix of its `api_url`, Zabbix adds a trailing slash, Grafana a double slash before the alias;
 * all are read as the canonical `/v2/alerts/...`. The key (`GenieKey`, or the heartbeat API's
 * other forms) is checked against the integrations' hashes, counted per address like every
 * other secret: an address that guessed too often is refused before its key is even compared.
 */
import type { NextFunction, Request, Response } from '../http/express';
import { clientKey, type FailureLimiter } from '../http/limiter';
import { offeredKeys } from '../heartbeats-api/keys';
import { opsgenieRefuse, opsgenieStart } from '../http/opsgenie-envelope';
import type { Integration } from '../alerts/integrations';

const ALERTS_PATH = /^(?:\/[^?]*?)?\/+v2\/+alerts(?=\/|\?|$)([^?]*)(\?.*)?$/;

/** `/og/v2/alerts//abc/close/?x` → `/v2/alerts/abc/close?x`; null for any other path. */
export function canonicalAlertsUrl(url: string): string | null {
  const m = ALERTS_PATH.exec(url);
  if (!m) return null;
  const rest = m[1].replace(/\/{2,}/g, '/').replace(/\/$/, '');
  return `/v2/alerts${rest}${m[2] ?? ''}`;
}

export function normalisePath(req: Request, _res: Response, next: NextFunction): void {
  const canonical = canonicalAlertsUrl(req.url);
  if (canonical !== null && canonical !== req.url) req.url = canonical;
  next();
}

export interface KeyDoor {
  verify(offered: readonly string[]): Promise<Integration | null>;
  failures: FailureLimiter;
}

/** Sets `res.locals.integration` or answers 401/429 in Opsgenie's shape. */
export function requireKey(door: KeyDoor) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    opsgenieStart(res);
    const who = clientKey(req);
    const wait = door.failures.retryAfterMs(who);
    if (wait > 0) return opsgenieRefuse(res, { ok: false, retryAfterS: Math.ceil(wait / 1000) });
    const offered = offeredKeys(req);
    const integration = offered.length ? await door.verify(offered) : null;
    if (!integration) {
      if (offered.length) door.failures.fail(who);
      return opsgenieRefuse(res, { ok: false, retryAfterS: null });
    }
    door.failures.succeed(who);
    res.locals.integration = integration;
    next();
  };
}
