/** Everything under /api/admin, behind the bearer token. */
import { Router, RouterT } from '../http/express';
import { adminAuth } from '../http/auth';
import { adminUsersRouter } from './users';
import { adminNotificationsRouter } from './notifications';
import type { UsersRepo } from '../db/users-repo';
import type { NotificationsRepo } from '../db/notifications-repo';
import type { Db } from '../db/knex';
import type { Lang } from '../directory/user';
import type { Logger } from '../core/log';

export function adminRouter(deps: { adminToken: string | null; users: UsersRepo; notifications: NotificationsRepo; db: Db; defaultLang: Lang; logger: Logger }): RouterT {
  const r = Router({ strict: false });
  r.use(adminAuth(deps.adminToken));
  r.use(adminUsersRouter(deps));
  r.use(adminNotificationsRouter(deps));
  return r;
}
