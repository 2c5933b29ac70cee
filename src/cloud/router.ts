/** The OnCall cloud stand-in: every route of the contract, token-checked except the heartbeat link. */
import { Router, RouterT } from '../http/express';
import { cloudAuth } from '../http/auth';
import { secretFailureLimiter } from '../http/secret-limits';
import type { FailureLimiter } from '../http/limiter';
import type { CloudDeps } from './deps';
import { infoRouter } from './info';
import { usersRouter } from './users';
import { integrationsRouter } from './integrations';
import { heartbeatLinkRouter } from './heartbeat-link';
import { notifyRouter } from './notify';
import { fcmRelayRouter } from './fcm-relay';
import { oncallWebhookRouter } from './oncall-webhook';

/**
 * `failures`: one count for every secret the cloud side takes (the engine's token and the
 * heartbeat links it was handed), shared with the direct routes of the pages (direct-pages.ts).
 */
export function cloudRouter(deps: CloudDeps, extra: RouterT[] = [], failures: FailureLimiter = secretFailureLimiter(deps.now)): RouterT {
  const r = Router({ strict: false });
  r.use(heartbeatLinkRouter(deps, failures));
  const authed = Router({ strict: false });
  // Pages first: make_call and send_sms are most of what OnCall sends, and each router passed costs a match.
  authed.use(notifyRouter(deps));
  authed.use(infoRouter(deps));
  authed.use(usersRouter(deps));
  authed.use(integrationsRouter(deps));
  authed.use(fcmRelayRouter(deps));
  authed.use(oncallWebhookRouter(deps));
  for (const x of extra) authed.use(x);
  const guard = cloudAuth(deps.config.cloudTokens, failures);
  // Only the contract's paths demand the cloud token; other paths fall through to other routers.
  r.use(
    [
      '/api/v1/info',
      '/api/v1/users',
      '/api/v1/integrations',
      '/api/v1/make_call',
      '/api/v1/send_sms',
      '/mobile_app/v1/fcm_relay',
      '/api/v1/oncall',
    ],
    guard,
  );
  r.use(authed);
  return r;
}
