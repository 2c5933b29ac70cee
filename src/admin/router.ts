/** Everything under /api/admin, behind the bearer token. */
import { Router, RouterT } from '../http/express';
import { adminAuth } from '../http/auth';
import { adminUsersRouter } from './users';
import { adminNotificationsRouter } from './notifications';
import { testCallRouter } from './test-call';
import { adminVerifyRouter } from './verify';
import type { PhoneVerifier } from '../verify';
import type { Notification } from '../db/notifications-repo';
import type { UsersRepo } from '../db/users-repo';
import type { NotificationsRepo } from '../db/notifications-repo';
import type { Db } from '../db/knex';
import type { Lang } from '../directory/user';
import type { Logger } from '../core/log';

export function adminRouter(deps: { adminToken: string | null; users: UsersRepo; notifications: NotificationsRepo; db: Db; defaultLang: Lang; logger: Logger; onEnqueued?: (n: Notification) => void; verifier?: () => PhoneVerifier | null }): RouterT {
  const r = Router({ strict: false });
  r.use(adminAuth(deps.adminToken));
  r.use(adminUsersRouter(deps));
  r.use(adminNotificationsRouter(deps));
  if (deps.verifier) r.use(adminVerifyRouter(deps.verifier));
  if (deps.onEnqueued) r.use(testCallRouter({ users: deps.users, notifications: deps.notifications, onEnqueued: deps.onEnqueued }));
  return r;
}
