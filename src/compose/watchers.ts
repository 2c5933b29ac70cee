/**
 * What watches rather than delivers: heartbeats, self-checks, the peer ping, shift notices and
 * retention. Those that must run once across a cluster hold a lease; on SQLite the one process always does.
 */
import type { Config } from '../config';
import { isPostgres } from '../db/knex';
import type { Telephony } from '../telephony/types';
import type { TtsSystem } from '../tts/index';
import type { SenderSet } from '../senders';
import type { Metrics } from '../metrics';
import type { DirectPager } from '../dispatch/direct-pager';
import { HeartbeatAdmin, HeartbeatsRepo, HeartbeatService, HttpOnCallAlerter, usersDirectory } from '../watchers/heartbeats';
import { heartbeatsSectionDefaults } from '../watchers/config';
import { SelfChecks } from '../watchers/checks/runner';
import { PeerPinger } from '../watchers/peer';
import { ShiftWatcher, ShiftNoticesRepo, shiftsSectionDefaults } from '../watchers/shifts';
import { RetentionSweeper, retentionSectionDefaults } from '../retention';
import { ClusterLease, Singleton, HeartbeatLeader, Startable } from '../cluster';
import { selfCheckList, telephonyCheck, selfCheckReports } from './checks';
import type { OnCallParts } from './oncall';
import type { Stores } from './stores';
import { partOf, Part } from './lifecycle';
import { trunkChecks, type TrunkParts } from './trunks';

export interface WatcherParts {
  heartbeats: HeartbeatService;
  /** The one place operators change heartbeats: audited in the change's transaction. */
  heartbeatAdmin: HeartbeatAdmin;
  checks: SelfChecks;
  peer: PeerPinger | null;
  retention: RetentionSweeper;
  /** Started once the engines run; each holds its cluster lease while it works. */
  singletons: Part[];
}

export interface WatcherDeps {
  config: Config;
  stores: Stores;
  pager: DirectPager;
  telephony: Telephony;
  senders: SenderSet;
  oncall: OnCallParts;
  tts: TtsSystem;
  metrics: Metrics;
  trunks: TrunkParts;
}

export function buildWatchers(d: WatcherDeps): WatcherParts {
  const { config, pager, metrics } = d;
  const { db, clock, logger, instanceId } = d.stores;
  const hbSection = config.sections.heartbeats ?? heartbeatsSectionDefaults();
  const heartbeats = new HeartbeatService({
    repo: new HeartbeatsRepo(db),
    clock,
    logger,
    pager: {
      page: async (p) =>
        void (await pager.page({
          emails: p.emails,
          text: `${p.title}. ${p.text}`,
          source: 'heartbeat',
          dedupeKey: `hb:${p.heartbeat.name}:${p.event}:${p.heartbeat.stateChangedAt}`,
        })),
    },
    alerter: hbSection.oncall_alert_url ? new HttpOnCallAlerter({ url: hbSection.oncall_alert_url, clock, logger }) : null,
    defaultPage: hbSection.page,
    declared: hbSection.declare,
    directory: usersDirectory(d.stores.users),
    onChange: (hb) => metrics.heartbeatState(hb.name, hb.state),
  });
  const checks = new SelfChecks({
    checks: selfCheckList({
      db,
      telephony: telephonyCheck(d.telephony),
      senders: d.senders,
      oncall: d.oncall.client,
      tts: d.tts,
      heartbeats,
    }).concat(trunkChecks(d.trunks.pool)),
    clock,
    reported: selfCheckReports(db, () => clock.now()),
    logger,
    admins: config.sections.admins ?? [],
    notifier: {
      notify: async (r) =>
        void (await pager.page({ emails: r.emails, text: `${r.title}. ${r.text}`, source: 'self-check', everyTextChannel: true })),
    },
  });
  const lease = new ClusterLease(db, d.stores.now);
  const singleton = (name: string, service: Startable) =>
    partOf(name, new Singleton({ name, holder: instanceId, lease, service, clock, logger, ttlMs: config.leases.clusterMs }));
  const singletons = [singleton('watcher:heartbeats', new HeartbeatLeader(heartbeats, { clock, logger, clustered: isPostgres(db) }))];
  const shiftsCfg = config.sections.shifts ?? shiftsSectionDefaults();
  if (shiftsCfg.enabled && d.oncall.client) {
    singletons.push(
      singleton(
        'watcher:shifts',
        new ShiftWatcher({
          client: d.oncall.client,
          repo: new ShiftNoticesRepo(db),
          directory: d.stores.users,
          pager,
          clock,
          logger,
          config: shiftsCfg,
        }),
      ),
    );
  }
  // Runs on one instance only: two sweepers would race for the same rows for nothing.
  const retention = new RetentionSweeper({
    db,
    clock,
    logger,
    config: config.sections.retention ?? retentionSectionDefaults(),
    observe: (r) => metrics.retentionSwept(r.counts, r.finishedAt, r.complete),
  });
  singletons.push(singleton('retention', retention));
  if (d.trunks.testCalls) singletons.push(singleton('trunk-test-calls', d.trunks.testCalls));
  const peer = config.peerUrl ? new PeerPinger({ url: config.peerUrl, clock, logger }) : null;
  const heartbeatAdmin = new HeartbeatAdmin({ service: heartbeats, audit: d.stores.audit });
  return { heartbeats, heartbeatAdmin, checks, peer, retention, singletons };
}
