/**
 * Composition root: the one place that constructs real adapters. Tests call buildApp with
 * overrides (clock, logger, fake-backed adapters) and get the same graph as production.
 * It reads as a list: the stores, the services, the watchers, the web side; then the order
 * they start in (and stop in reverse). How each is wired lives in compose/.
 */
import type { Config } from './config';
import { buildTts } from './tts/index';
import { buildSenders } from './senders';
import type { App, AppOverrides } from './compose/app-types';
import { buildStores } from './compose/stores';
import { buildMetrics } from './compose/observe';
import { buildDelivery } from './compose/delivery';
import { buildOnCall } from './compose/oncall';
import { buildTelephony } from './compose/telephony';
import { buildEngines } from './compose/engines';
import { buildTrunks } from './compose/trunks';
import { warmUpPages } from './compose/warm-up';
import { buildWatchers } from './compose/watchers';
import { buildHotline } from './compose/hotline';
import { linkParts } from './compose/links';
import { buildWeb } from './compose/web';
import { buildAlerts } from './compose/alerts';
import { HttpServer } from './compose/server';
import { Lifecycle, partOf } from './compose/lifecycle';
import { databasePart, schemaPart, speechPart, enginePart, logServing } from './compose/parts';

export type { App, AppOverrides };

export function buildApp(config: Config, overrides: AppOverrides = {}): App {
  const stores = buildStores(config, overrides);
  const { clock, logger, db, wakeup } = stores;
  const { metrics, watch } = buildMetrics(stores.notifications, wakeup);
  const delivery = buildDelivery(stores, metrics);

  const oncall = buildOnCall(config, db, stores.users, clock, logger, overrides.oncallClient);
  const tts = buildTts(config.tts, { publicUrl: config.publicUrl, logger, clock, fqdnRegex: config.fqdnRegex });
  const telephony = buildTelephony({ config, clock, logger, tts, metrics, override: overrides.telephony });
  const senders = buildSenders(config.sections.senders, { clock, logger: logger.child({ mod: 'senders' }) });
  const signed = linkParts({ config, stores, telephony, tts, senders, telephonyOverridden: overrides.telephony !== undefined });
  const links = () => signed.late.links;
  const alerts = buildAlerts(config, stores, overrides);
  const trunks = buildTrunks({ config, stores, telephony, metrics });
  // What the engines and the web both build on.
  const shared = { config, stores, oncall, tts, telephony, senders, metrics, delivery, alerts, trunks };
  const engines = buildEngines({ ...shared, links, sweepMs: overrides.sweepMs });
  const { voice, messages } = engines;
  const warmUp = warmUpPages(stores, voice, engines.preparer);
  const watchers = buildWatchers({ config, stores, pager: engines.direct, telephony, senders, oncall, tts, metrics, trunks });
  const { heartbeats, checks } = watchers;
  watch(telephony, checks);
  const hotline = buildHotline({ config, stores, telephony, tts, oncall, pager: engines.direct, dialer: trunks.dialer });
  const web = buildWeb({ ...shared, hotline, watchers, late: signed.late });
  const http = web.express;
  const server = new HttpServer(web.listener, config.listen);

  const engineOn = overrides.startEngines !== false;
  // Started top to bottom, stopped bottom to top: the socket opens last and closes first, the database the other way.
  const life = new Lifecycle(
    [
      databasePart(db, stores.reads.db),
      { name: 'metrics', stop: () => metrics.stop() },
      { name: 'senders', stop: () => senders.close() },
      schemaPart(db, logger),
      signed.links,
      speechPart(tts, logger),
      partOf('telephony', telephony),
      { name: 'heartbeats', stop: () => heartbeats.stop() },
      ...watchers.singletons,
      alerts.part,
      { name: 'heartbeat gauges', start: async () => (await heartbeats.list()).forEach((hb) => metrics.heartbeatState(hb.name, hb.state)) },
      signed.verifier,
      { name: 'hotline', stop: () => hotline.stop() },
      // Before the engines, so stopped after them: the last digits of calls being hung up are still recorded.
      partOf('delivery figures', delivery.recorder),
      // Stopped after the engines (whose calls may still prepare pages) and before the database.
      { name: 'page warm-up', stop: () => warmUp.stop() },
      enginePart('messages', messages, wakeup, engineOn),
      enginePart('voice', voice, wakeup, engineOn),
      partOf('self-checks', checks),
      ...(watchers.peer ? [partOf('peer ping', watchers.peer)] : []),
      server,
    ],
    logger,
  );
  const { instanceId, users, notifications, integrations } = stores;
  return {
    ...{ config, logger, clock, db, instanceId, users, notifications, integrations, wakeup, http, telephony, tts, senders, oncall },
    ...{ voice, messages, heartbeats, checks, metrics, retention: watchers.retention, alerts },
    async start() {
      await life.start();
      const addr = server.address();
      logServing(logger, addr, { db: config.db.client, instance: instanceId, telephony: telephony.health().message });
      return addr;
    },
    async stop() {
      await life.stop();
      logger.info('dozvon stopped');
    },
  };
}
