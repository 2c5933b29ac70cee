/** The web side: every API of compose/http.ts plus the pages people open (console, status) and the metrics. */
import type { Config } from '../config';
import type { Telephony } from '../telephony/types';
import type { TtsSystem } from '../tts/index';
import type { SenderSet } from '../senders';
import type { Metrics } from '../metrics';
import { metricsRouter } from '../metrics';
import type { Hotline } from '../hotline';
import { PageIntake } from '../cloud/intake';
import { channelsDeliverable } from '../dispatch/deliverable';
import { statusRouter, DbStatusSource } from '../status';
import { AdminTokenGuard, DbSessionRevocations } from '../web';
import { consoleRouter } from '../console';
import { SOUNDS_ROOT } from '../tts/prompts';
import { buildHttp, type WebServing } from './http';
import { channelProbes } from './readiness';
import type { OnCallParts } from './oncall';
import type { LateParts } from './links';
import type { WatcherParts } from './watchers';
import type { Stores } from './stores';
import type { DeliveryParts } from './delivery';
import { calendarLinks, teamsMounts } from './teams';
import type { AlertParts } from './alerts';
import type { TrunkParts } from './trunks';

export interface WebDeps {
  config: Config;
  stores: Stores;
  telephony: Telephony;
  tts: TtsSystem;
  senders: SenderSet;
  oncall: OnCallParts;
  metrics: Metrics;
  hotline: Hotline;
  alerts: AlertParts;
  watchers: Pick<WatcherParts, 'heartbeats' | 'heartbeatAdmin' | 'checks'>;
  late: LateParts;
  /** Delivery figures (status page, console) and the link acknowledgements they count. */
  delivery?: DeliveryParts;
  trunks: TrunkParts;
}

export function buildWeb(d: WebDeps): WebServing {
  const { config, telephony, tts, senders, late } = d;
  const { db, now, logger, users, people, notifications, audit, onEnqueued, progress } = d.stores;
  const { heartbeats, heartbeatAdmin, checks } = d.watchers;
  const verifier = () => late.verifier;
  // One guard for every door of the admin token: guesses through one door count at all of them.
  const adminGuard = new AdminTokenGuard(config.adminToken, now);
  const calendar = calendarLinks(d.stores);
  return buildHttp({
    config,
    logger,
    db,
    users,
    notifications,
    integrations: d.stores.integrations,
    intake: new PageIntake(
      db,
      users,
      notifications,
      config.limits,
      now,
      channelsDeliverable({ telephonyConfigured: () => telephony.health().configured, senders }),
    ),
    heartbeats,
    tts,
    links: () => late.links,
    oncall: d.oncall,
    now,
    onEnqueued,
    verifier,
    audit,
    people,
    heartbeatAdmin,
    adminGuard,
    linkAcked: d.delivery ? (id) => d.delivery!.recorder.acked(id, 'link') : undefined,
    alertPages: d.alerts.pageActions,
    readiness: channelProbes({ telephony, senders, latest: () => checks.latest(), trunks: () => d.trunks.pool.status() }),
    extra: [
      { path: '/', router: d.alerts.router() },
      { path: '/', router: d.hotline.router() },
      { path: '/', router: metricsRouter(d.metrics) },
      ...teamsMounts(d.stores, adminGuard, calendar, d.alerts.integrations),
      {
        path: '/console',
        router: consoleRouter({
          config,
          db,
          now,
          logger: logger.child({ mod: 'console' }),
          revocations: new DbSessionRevocations(db, now),
          adminGuard,
          audit,
          users,
          people,
          notifications,
          heartbeats,
          heartbeatAdmin,
          alerts: { service: d.alerts.service, integrations: d.alerts.integrations },
          onEnqueued,
          verifier,
          senders,
          progress,
          telephonyHealth: () => telephony.health(),
          trunks: () => d.trunks.pool.status(),
          checks: () => checks.latest().map((c) => ({ name: c.name, state: c.state, detail: c.detail, checkedAt: c.at })),
          media: { ttsDir: tts.store.dir, soundsRoot: SOUNDS_ROOT },
          delivery: d.delivery?.repo,
          teams: d.stores.teams,
          calendarLinks: calendar,
        }),
      },
      {
        path: '/',
        router: statusRouter({
          source: new DbStatusSource({
            db,
            health: async () => checks.latest().map((c) => ({ name: c.name, ok: c.ok, state: c.state, detail: c.detail })),
            delivery: d.delivery?.repo,
          }),
          adminToken: config.adminToken,
          now,
          secureCookie: config.publicUrl.startsWith('https:'),
          revocations: new DbSessionRevocations(db, now),
          adminGuard,
          publicUrl: config.publicUrl,
          logger: logger.child({ mod: 'status' }),
        }),
      },
    ],
  });
}
