/**
 * The secret heartbeat link we hand OnCall (GET every 3 minutes, no Authorization: the token
 * is in the path). Unknown links get 403, which makes the engine re-create its integration.
 * A link is a secret like the cloud token and shares its failure count: every refused link is
 * a guess, so an address that guessed too often is throttled before its link is looked up.
 */
import { Router, RouterT } from '../http/express';
import type { CloudDeps } from './deps';
import { safeEqual } from '../http/auth';
import { clientKey, type FailureLimiter } from '../http/limiter';
import { throttledDetail } from '../http/throttled';

export function heartbeatLinkRouter(deps: Pick<CloudDeps, 'integrations' | 'heartbeats' | 'logger'>, failures: FailureLimiter): RouterT {
  const r = Router({ strict: false });
  const handler = (method: 'GET' | 'POST') => async (req: import('../http/express').Request, res: import('../http/express').Response) => {
    const who = clientKey(req);
    const wait = failures.retryAfterMs(who);
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      res
        .set('Retry-After', String(s))
        .status(429)
        .json({ detail: throttledDetail(s) });
      return;
    }
    const token = String(req.params.token);
    const slug = String(req.params.slug);
    const integration = /^[A-Za-z0-9]{10,64}$/.test(token) ? await deps.integrations.findByToken(token) : null;
    // The lookup is by exact token; compare once more in constant time before trusting it.
    if (!integration || !safeEqual(token, integration.token) || integration.type !== slug) {
      failures.fail(who);
      res.status(403).json('Integration key was not found. Permission denied.');
      return;
    }
    failures.succeed(who);
    const name = await deps.integrations.heartbeatName(integration);
    if (name !== null) await deps.heartbeats.ping(name, `oncall-link ${method}`);
    if (method === 'GET') res.status(200).json(':)');
    else res.status(200).end();
  };
  r.get('/integrations/v1/:slug/:token/heartbeat', handler('GET'));
  r.post('/integrations/v1/:slug/:token/heartbeat', handler('POST'));
  return r;
}
