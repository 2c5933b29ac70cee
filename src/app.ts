/**
 * Composition root: the one place that constructs real adapters. Tests call buildApp with
 * overrides (clock, logger, fakes) and get the same graph as production.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { Clock, SystemClock } from './core/clock';
import { createLogger, Logger } from './core/log';
import { openDb, Db } from './db/knex';
import { migrate } from './db/migrations';
import { UsersRepo } from './db/users-repo';
import { NotificationsRepo } from './db/notifications-repo';
import { CloudIntegrationsRepo } from './db/cloud-integrations-repo';
import { RecordingHeartbeatSink } from './db/heartbeat-pings';
import { createHttpApp } from './http/server';
import { healthRouter } from './http/health';
import { cloudRouter } from './cloud/router';
import { adminRouter } from './admin/router';
import { Wakeup } from './dispatch/wakeup';
import { PageIntake } from './cloud/intake';
import type { HeartbeatSink } from './cloud/deps';
import type { Express } from './http/express';

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  db?: Db;
  heartbeats?: HeartbeatSink;
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  users: UsersRepo;
  notifications: NotificationsRepo;
  integrations: CloudIntegrationsRepo;
  wakeup: Wakeup;
  http: Express;
  /** Migrates, then listens; resolves with the bound address. */
  start(): Promise<AddressInfo>;
  stop(): Promise<void>;
}

export function buildApp(config: Config, overrides: AppOverrides = {}): App {
  const clock = overrides.clock ?? new SystemClock();
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const now = () => clock.now();
  const db = overrides.db ?? openDb(config.db, { sqliteSync: config.sqliteSync });
  const users = new UsersRepo(db, now);
  const notifications = new NotificationsRepo(db, now);
  const integrations = new CloudIntegrationsRepo(db, now);
  const heartbeats = overrides.heartbeats ?? new RecordingHeartbeatSink(db, now);
  const wakeup = new Wakeup();

  const cloud = cloudRouter({
    config,
    logger: logger.child({ mod: 'cloud' }),
    users,
    notifications,
    intake: new PageIntake(db, users, notifications, config.limits, now),
    integrations,
    heartbeats,
    now,
    onEnqueued: (n) => wakeup.notify(n),
  });
  const http = createHttpApp({
    logger: logger.child({ mod: 'http' }),
    mounts: [
      { path: '/', router: healthRouter([{ name: 'database', check: async () => void (await db.raw('select 1')) }]) },
      { path: '/api/admin', router: adminRouter({ adminToken: config.adminToken, users, notifications, db, defaultLang: config.lang, logger: logger.child({ mod: 'admin' }) }) },
      ...prefixMounts(config.publicUrl).map((path) => ({ path, router: cloud })),
    ],
  });

  let server: Server | null = null;
  return {
    config,
    logger,
    clock,
    db,
    users,
    notifications,
    integrations,
    wakeup,
    http,
    async start() {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, 'database migrated');
      server = createServer(http);
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.listen.port, config.listen.host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      logger.info({ listen: `${addr.address}:${addr.port}`, db: config.db.client }, 'dozvon serving');
      return addr;
    },
    async stop() {
      if (server) {
        const s = server;
        server = null;
        s.closeIdleConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await db.destroy();
      logger.info('dozvon stopped');
    },
  };
}

/** The cloud API answers at the root and, if DOZVON_PUBLIC_URL has a path, under that path too. */
function prefixMounts(publicUrl: string): string[] {
  const path = new URL(publicUrl).pathname.replace(/\/+$/, '');
  return path === '' ? ['/'] : ['/', path];
}
