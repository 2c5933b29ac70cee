/** Everything under /api/admin, behind the bearer token. */
import { Router, RouterT } from '../http/express';
import { adminAuth, AdminTokenGuard } from '../web/admin-token';
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

export function adminRouter(deps: {
  adminToken: string | null;
  users: UsersRepo;
  notifications: NotificationsRepo;
  db: Db;
  people: People;
  logger: Logger;
  onEnqueued?: (n: Notification) => void;
  verifier?: () => PhoneVerifier | null;
  now?: () => number;
  audit: AuditLog;
  adminGuard: AdminTokenGuard;
}): RouterT {
  const r = Router({ strict: false });
  // The app passes the guard the console and status page share; alone (tests) it gets its own.
  r.use(adminAuth(deps.adminGuard ?? new AdminTokenGuard(deps.adminToken, deps.now ?? Date.now)));
  // Bodies only once the token is good.
  r.use(parseBody(BODY_LIMITS.admin));
  r.use(adminUsersRouter(deps));
  r.use(auditRouter(deps.audit));
  r.use(adminNotificationsRouter(deps));
  if (deps.verifier) r.use(adminVerifyRouter(deps.verifier));
  if (deps.onEnqueued) r.use(testCallRouter({ users: deps.users, notifications: deps.notifications, onEnqueued: deps.onEnqueued }));
  return r;
}
