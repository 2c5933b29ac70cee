/** The teams side's routes: the Opsgenie-shaped schedule API and the rotations' calendar feeds. */
import type { Mount } from '../http/server';
import { KvRepo } from '../db/kv-repo';
import type { AdminTokenGuard } from '../web/admin-token';
import { schedulesRouter } from '../teams/api';
import { CalendarLinks } from '../teams/calendar-links';
import type { Stores } from './stores';

/** The feed secret is read from the database on first use (it is not open yet when routes are built). */
export function calendarLinks(stores: Pick<Stores, 'db' | 'now'>): () => Promise<CalendarLinks> {
  let links: Promise<CalendarLinks> | null = null;
  return () => {
    links ??= new KvRepo(stores.db, stores.now).secret('calendar-secret').then((s) => new CalendarLinks(s));
    // A failed read is tried again on the next request rather than remembered.
    links.catch(() => (links = null));
    return links;
  };
}

export function teamsMounts(stores: Stores, adminGuard: AdminTokenGuard, links: () => Promise<CalendarLinks>): Mount[] {
  return [
    {
      path: '/',
      router: schedulesRouter({ teams: stores.teams, guard: adminGuard, calendarLinks: links, logger: stores.logger, now: stores.now }),
    },
  ];
}
