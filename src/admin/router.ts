/** Everything under /api/admin, behind the bearer token. */
import { Router, RouterT } from '../http/express';
import { adminAuth } from '../http/auth';
import { FailureLimiter } from '../http/limiter';
import { BODY_LIMITS, parseBody } from '../http/body';
import { adminUsersRouter } from './users';
import { adminNotificationsRouter } from './notifications';
import { testCallRouter } from './test-call';
import { adminVerifyRouter } from './verify';
import type { PhoneVerifier } from '../verify';
import type { Notification } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo } from '../db/notifications-repo';
import type { Db } from '../db/knex';
import type { Logger } from '../core/log';
import type { People } from '../directory/people-service';
import { auditRouter, type AuditLog } from '../audit';

/** Wrong admin tokens allowed per client address in ADMIN_FAILURE_WINDOW_MS before 429. */
export const ADMIN_FAILURES = 10;
export const ADMIN_FAILURE_WINDOW_MS = 15 * 60_000;

export function adminRouter(deps: { adminToken: string | null; users: UsersRepo; notifications: NotificationsRepo; db: Db; people: People; logger: Logger; onEnqueued?: (n: Notification) => void; verifier?: () => PhoneVerifier | null; now?: () => number; audit: AuditLog }): RouterT {
  const r = Router({ strict: false });
  const failures = new FailureLimiter({ max: ADMIN_FAILURES, windowMs: ADMIN_FAILURE_WINDOW_MS, now: deps.now ?? Date.now });
  r.use(adminAuth(deps.adminToken, failures));
  // Bodies only once the token is good.
  r.use(parseBody(BODY_LIMITS.admin));
  r.use(adminUsersRouter(deps));
  r.use(auditRouter(deps.audit));
  r.use(adminNotificationsRouter(deps));
  if (deps.verifier) r.use(adminVerifyRouter(deps.verifier));
  if (deps.onEnqueued) r.use(testCallRouter({ users: deps.users, notifications: deps.notifications, onEnqueued: deps.onEnqueued }));
  return r;
}
