/** The ground floor every other part is built on: clock, logger, the database and its repositories. */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { Clock, SystemClock } from '../core/clock';
import { createLogger, Logger } from '../core/log';
import { openDb, openReadDb, Db } from '../db/knex';
import { UsersRepo } from '../directory/users-repo';
import { NotificationsRepo, Notification } from '../db/notifications-repo';
import { CloudIntegrationsRepo } from '../db/cloud-integrations-repo';
import { Wakeup } from '../dispatch/wakeup';
import { AuditRepo } from '../audit';
import { People } from '../directory/people-service';
import { CallProgress } from '../ivr/call-progress';
import { Teams } from '../teams/service';

export interface Stores {
  clock: Clock;
  logger: Logger;
  now: () => number;
  instanceId: string;
  db: Db;
  /**
   * Reads that need no transaction and must not wait behind a write (the dial path's people and
   * history): read-only SQLite connections, or the writer itself where it is a pool or in memory.
   */
  reads: { db: Db; users: UsersRepo; notifications: NotificationsRepo };
  users: UsersRepo;
  notifications: NotificationsRepo;
  integrations: CloudIntegrationsRepo;
  audit: AuditRepo;
  /** The one place people change: every front-end goes through it, audited in the change's transaction. */
  people: People;
  wakeup: Wakeup;
  /** Called after a notification is committed, so the engines start at once instead of polling. */
  onEnqueued: (n: Notification) => void;
  /** Live progress of test calls, for the console. */
  progress: CallProgress;
  /** The one place teams, rotations, overrides and escalation policies change, audited likewise. */
  teams: Teams;
}

export function buildStores(config: Config, o: { clock?: Clock; logger?: Logger; db?: Db; instanceId?: string }): Stores {
  const clock = o.clock ?? new SystemClock();
  const now = () => clock.now();
  const db = o.db ?? openDb(config.db, { sqliteSync: config.sqliteSync });
  const readDb = o.db ? db : openReadDb(config.db, db);
  const wakeup = new Wakeup();
  const audit = new AuditRepo(db, now);
  return {
    clock,
    logger: o.logger ?? createLogger({ level: config.logLevel }),
    now,
    instanceId: o.instanceId ?? `dozvon-${randomUUID().slice(0, 8)}`,
    db,
    reads: { db: readDb, users: new UsersRepo(readDb, now), notifications: new NotificationsRepo(readDb, now) },
    users: new UsersRepo(db, now),
    notifications: new NotificationsRepo(db, now),
    integrations: new CloudIntegrationsRepo(db, now),
    audit,
    people: new People({ db, audit, defaultLang: config.lang, now }),
    wakeup,
    onEnqueued: (n) => wakeup.notify(n),
    progress: new CallProgress(now),
    teams: new Teams({ db, audit, now }),
  };
}
