/** Every HTTP route dozvon serves, mounted in one place (the error handler comes last). */
import type { Config } from '../config';
import type { Logger } from '../core/log';
import type { Db } from '../db/knex';
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import type { CloudIntegrationsRepo } from '../db/cloud-integrations-repo';
import type { PageIntake } from '../cloud/intake';
import type { HeartbeatAdmin, HeartbeatService } from '../watchers/heartbeats';
import type { TtsSystem } from '../tts/index';
import { createMediaRouter } from '../tts/index';
import type { AckLinks } from '../links';
import { createAckRouter } from '../links';
import type { OnCallParts } from './oncall';
import { ackHandlers } from './ack';
import type { RequestListener } from 'node:http';
import { basePath, createHttpApp, Mount } from '../http/server';
import { directFirst } from '../http/direct';
import { directPageRoutes } from '../cloud/direct-pages';
import type { CloudDeps } from '../cloud/deps';
import { healthRouter, ReadinessProbe } from '../http/health';
import { cloudRouter } from '../cloud/router';
import { adminRouter } from '../admin/router';
import { opsgenieRouter, healthchecksRouter, alertmanagerRouter } from '../heartbeats-api';
import { heartbeatsSectionDefaults } from '../watchers/config';
import { secretFailureLimiter } from '../http/secret-limits';
import { CreateLimit } from '../heartbeats-api/create-limit';
import { Router, Express } from '../http/express';
import { createVerifyRouter, PhoneVerifier } from '../verify';
import type { AuditLog } from '../audit';
import type { People } from '../directory/people-service';
import type { AdminTokenGuard } from '../web/admin-token';
import type { AlertPageActions } from '../ivr/alert-pages';

export interface HttpParts {
  config: Config;
  logger: Logger;
  db: Db;
  users: UsersRepo;
  notifications: NotificationsRepo;
  integrations: CloudIntegrationsRepo;
  intake: PageIntake;
  heartbeats: HeartbeatService;
  tts: TtsSystem;
  links: () => AckLinks | null;
  oncall: OnCallParts;
  now: () => number;
  onEnqueued: (n: Notification) => void;
  verifier: () => PhoneVerifier | null;
  extra?: Mount[];
  audit: AuditLog;
  /** Operators' changes, audited in the same transaction. */
  people: People;
  heartbeatAdmin: HeartbeatAdmin;
  /** /readyz probes besides the database: the channels that can page (compose/readiness.ts). */
  readiness?: ReadinessProbe[];
  /** An acknowledge link did its work for this page (delivery figures). */
  linkAcked?: (notificationId: number) => Promise<void>;
  /** One limiter for every door of the admin token: the console and status page get the same one. */
  adminGuard: AdminTokenGuard;
  /** The acknowledge links of alert pages act on the alert. */
  alertPages?: AlertPageActions;
}

/** The Express app (every route), and what the server listens with: the direct routes first, then the app. */
export interface WebServing {
  express: Express;
  listener: RequestListener;
}

export function buildHttp(p: HttpParts): WebServing {
  const { config, logger } = p;
  const hbLog = logger.child({ mod: 'heartbeats-api' });
  const hb = config.sections.heartbeats ?? heartbeatsSectionDefaults();
  const cloudDeps: CloudDeps = {
    config,
    logger: logger.child({ mod: 'cloud' }),
    users: p.users,
    notifications: p.notifications,
    intake: p.intake,
    integrations: p.integrations,
    heartbeats: { ping: async (name, source) => void (await p.heartbeats.ping(name, source)) },
    now: p.now,
    onEnqueued: p.onEnqueued,
  };
  const cloudFailures = secretFailureLimiter(p.now);
  const cloud = cloudRouter(cloudDeps, [], cloudFailures);
  const ack = createAckRouter({
    verify: (token) => {
      const l = p.links();
      return l ? l.verify(token) : { ok: false, reason: 'invalid' };
    },
    ...ackHandlers(p.notifications, p.users, p.oncall.actions, p.alertPages ?? null, p.linkAcked),
    logger: logger.child({ mod: 'ack' }),
  });
  const beats = Router();
  // One failure count for every door a heartbeat key opens, and one limit on what the key creates.
  const keyDoors = { keyFailures: secretFailureLimiter(p.now), createLimit: new CreateLimit(p.heartbeats, hb.api_create_limit) };
  beats.use(opsgenieRouter({ service: p.heartbeats, admin: p.heartbeatAdmin, keys: config.heartbeatKeys, logger: hbLog, ...keyDoors }));
  beats.use(healthchecksRouter({ service: p.heartbeats, keys: config.heartbeatKeys, logger: hbLog, ...keyDoors }));
  beats.use(
    alertmanagerRouter({
      service: p.heartbeats,
      keys: config.heartbeatKeys,
      logger: hbLog,
      ...keyDoors,
      watchdogAutoCreate: hb.page.length && hb.watchdog_auto_create ? { periodS: hb.watchdog_every, graceS: hb.watchdog_grace } : null,
    }),
  );
  const httpLog = logger.child({ mod: 'http' });
  // Every route is also served under the public URL's path prefix (createHttpApp strips it).
  const app = createHttpApp({
    logger: httpLog,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    mounts: [
      {
        path: '/',
        router: healthRouter(
          [{ name: 'database', check: async () => void (await p.db.raw('select 1')) }, ...(p.readiness ?? [])],
          logger.child({ mod: 'readiness' }),
        ),
      },
      // The busiest doors first: every request walks the mounts in order until one answers, and
      // OnCall's pages and the monitoring's pings should not pay for the console's routes.
      { path: '/', router: cloud },
      { path: '/', router: beats },
      { path: '/', router: createMediaRouter(p.tts.store) },
      { path: '/ack', router: ack },
      {
        path: '/verify',
        router: createVerifyRouter({
          // The verifier needs the link secret, which is read from the database at start.
          verifier: {
            describeLink: (t) => mustHave(p.verifier()).describeLink(t),
            confirmLink: (t, c) => mustHave(p.verifier()).confirmLink(t, c),
            checkLink: (t) => mustHave(p.verifier()).checkLink(t),
          },
          logger: logger.child({ mod: 'verify' }),
        }),
      },
      {
        path: '/api/admin',
        router: adminRouter({
          adminToken: config.adminToken,
          users: p.users,
          notifications: p.notifications,
          db: p.db,
          people: p.people,
          logger: logger.child({ mod: 'admin' }),
          onEnqueued: p.onEnqueued,
          verifier: p.verifier,
          now: p.now,
          audit: p.audit,
          adminGuard: p.adminGuard,
        }),
      },
      ...(p.extra ?? []),
    ],
  });
  // Behind a trusted proxy the client's address comes from X-Forwarded-For by Express's proxy
  // rules, which the failure count keys on: the pages then take their Express routes.
  const direct = config.trustProxy === false ? directPageRoutes(cloudDeps, cloudFailures) : [];
  return { express: app, listener: directFirst(direct, app, { base: basePath(config.publicUrl), logger: httpLog }) };
}

function mustHave<T>(v: T | null): T {
  if (v === null) throw new Error('the server is still starting');
  return v;
}
