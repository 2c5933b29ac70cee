/**
 * Composition root: the one place that constructs real adapters. Tests call buildApp with
 * overrides (clock, logger, fake-backed adapters) and get the same graph as production.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Config } from './config';
import { Clock, SystemClock } from './core/clock';
import { createLogger, Logger } from './core/log';
import { openDb, Db, isPostgres } from './db/knex';
import { migrate } from './db/migrations';
import { UsersRepo } from './db/users-repo';
import { NotificationsRepo } from './db/notifications-repo';
import { CloudIntegrationsRepo } from './db/cloud-integrations-repo';
import { KvRepo } from './db/kv-repo';
import { Wakeup } from './dispatch/wakeup';
import { PageIntake } from './cloud/intake';
import type { Express } from './http/express';
import type { Telephony } from './telephony/types';
import type { User } from './directory/user';
import { buildTelephony } from './compose/telephony';
import { buildTts, TtsSystem } from './tts/index';
import { buildSenders, SenderSet } from './senders';
import { AckLinks } from './links';
import { DEFAULT_LIMITS } from './limits';
import type { OnCallClient } from './oncall/index';
import { buildOnCall, OnCallParts } from './compose/oncall';
import { PagePreparer } from './dispatch/page-preparer';
import { OutboundCallRunner } from './ivr/outbound-call';
import { VoiceEngine, VOICE_KINDS } from './dispatch/voice-engine';
import { MessageEngine } from './dispatch/message-engine';
import { ChannelFallback } from './dispatch/channel-fallback';
import { channelsDeliverable } from './dispatch/deliverable';
import { DirectPager } from './dispatch/direct-pager';
import { PageTaker } from './dispatch/page-taker';
import { HeartbeatsRepo, HeartbeatService, HttpOnCallAlerter, usersDirectory } from './watchers/heartbeats';
import { SelfChecks } from './watchers/checks/runner';
import { PeerPinger } from './watchers/peer';
import { heartbeatsSectionDefaults } from './watchers/config';
import { selfCheckList, telephonyCheck, selfCheckReports } from './compose/checks';
import { buildHttp } from './compose/http';
import { channelProbes } from './compose/readiness';
import { Metrics, metricsRouter } from './metrics';
import { statusRouter, DbStatusSource } from './status';
import { AdminTokenGuard, DbSessionRevocations } from './web';
import { voiceObserver, refreshHealthGauges } from './compose/observe';
import { Hotline, HotlineMessagesRepo, DbPinGuard } from './hotline';
import { ShiftWatcher, ShiftNoticesRepo, shiftsSectionDefaults } from './watchers/shifts';
import { PhoneVerifier, VerificationCaller } from './verify';
import { ClusterLease, Singleton, HeartbeatLeader } from './cluster';
import { RetentionSweeper, retentionSectionDefaults } from './retention';
import { AuditRepo } from './audit';
import { CallProgress } from './dispatch/call-progress';
import { consoleRouter } from './console';
import { SOUNDS_ROOT } from './tts/prompts';

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  db?: Db;
  telephony?: Telephony;
  oncallClient?: OnCallClient | null;
  instanceId?: string;
  /** Speeds for tests: the engines' sweep period. */
  sweepMs?: number;
  /** false: accept and store pages but deliver nothing (intake-only tests). Default true. */
  startEngines?: boolean;
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  instanceId: string;
  users: UsersRepo;
  notifications: NotificationsRepo;
  integrations: CloudIntegrationsRepo;
  wakeup: Wakeup;
  http: Express;
  telephony: Telephony;
  tts: TtsSystem;
  senders: SenderSet;
  oncall: OnCallParts;
  voice: VoiceEngine;
  messages: MessageEngine;
  heartbeats: HeartbeatService;
  checks: SelfChecks;
  metrics: Metrics;
  /** Deletes old voicemails, finished notifications and history; `lastSweep()`/`totals()` for metrics. */
  retention: RetentionSweeper;
  start(): Promise<AddressInfo>;
  stop(): Promise<void>;
}

export function buildApp(config: Config, overrides: AppOverrides = {}): App {
  const clock = overrides.clock ?? new SystemClock();
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const instanceId = overrides.instanceId ?? `dozvon-${randomUUID().slice(0, 8)}`;
  const now = () => clock.now();
  const db = overrides.db ?? openDb(config.db, { sqliteSync: config.sqliteSync });
  const users = new UsersRepo(db, now);
  const notifications = new NotificationsRepo(db, now);
  const integrations = new CloudIntegrationsRepo(db, now);
  const wakeup = new Wakeup();
  const audit = new AuditRepo(db, now);
  const progress = new CallProgress(now);
  let checksRef: SelfChecks | null = null;
  let telephonyRef: Telephony | null = null;
  const metrics = new Metrics({
    queueDepth: async () => {
      if (checksRef && telephonyRef) refreshHealthGauges(metrics, telephonyRef, checksRef);
      return notifications.countByState();
    },
  });
  wakeup.subscribe((n) => metrics.notificationReceived(n.kind, n.source));
  const onEnqueued = (n: Parameters<Wakeup['notify']>[0]) => wakeup.notify(n);

  const oncall = buildOnCall(config, db, users, clock, logger, overrides.oncallClient);
  const tts = buildTts(config.tts, { publicUrl: config.publicUrl, logger, clock, fqdnRegex: config.fqdnRegex });
  const telephony = buildTelephony({ config, clock, logger, tts, override: overrides.telephony, onSpeechFailed: () => metrics.speechPlaybackFailed() });
  const senders = buildSenders(config.sections.senders, { clock, logger: logger.child({ mod: 'senders' }) });
  let links: AckLinks | null = null;

  const preparer = new PagePreparer({ correlator: oncall.correlator, enricher: oncall.enricher, tts, clock, logger: logger.child({ mod: 'prepare' }) });
  const direct = new DirectPager(users, notifications, logger.child({ mod: 'direct-pager' }), onEnqueued);
  const taking = new PageTaker({ notifications, users, pager: direct, logger: logger.child({ mod: 'page-taker' }) });
  const runner = new OutboundCallRunner(
    { telephony, tts, actions: oncall.actions, taking, clock, logger: logger.child({ mod: 'call' }), secrets: (id) => users.secrets(id), progress },
    { dialTemplate: config.dialTemplate, callerId: config.callerId },
  );
  const voice = new VoiceEngine(
    { repo: notifications, users, runner, preparer, settled: oncall.settled, fallback: new ChannelFallback(notifications, onEnqueued), clock, logger: logger.child({ mod: 'voice' }), observe: voiceObserver(metrics, now), limits: config.sections.limits ?? DEFAULT_LIMITS, telephony },
    { instanceId, maxCalls: config.limits.maxCalls, originatesPerSecond: config.limits.originatesPerSecond, sweepMs: overrides.sweepMs, leaseMs: config.leases.pageMs, telephonyWaitMs: config.telephonyWaitMs },
  );
  const messages = new MessageEngine(
    { repo: notifications, users, senders, ackUrl: (n) => (links ? links.url(n.id) : ''),
      correlate: (n, signal) => oncall.correlator.correlate({ message: n.message, alertGroupId: n.alertGroupId ?? undefined, email: n.email, receivedAt: n.receivedAt }, signal),
      limits: config.sections.limits ?? DEFAULT_LIMITS, clock, logger: logger.child({ mod: 'messages' }), observe: (e) => metrics.notificationFinished(e.kind, e.outcome) },
    { instanceId, sweepMs: overrides.sweepMs, leaseMs: Math.min(config.leases.pageMs, 60_000) },
  );
  const hbSection = config.sections.heartbeats ?? heartbeatsSectionDefaults();
  const heartbeats = new HeartbeatService({
    repo: new HeartbeatsRepo(db),
    clock,
    logger,
    pager: { page: async (p) => void (await direct.page({ emails: p.emails, text: `${p.title}. ${p.text}`, source: 'heartbeat', dedupeKey: `hb:${p.heartbeat.name}:${p.event}:${p.heartbeat.stateChangedAt}` })) },
    alerter: hbSection.oncall_alert_url ? new HttpOnCallAlerter({ url: hbSection.oncall_alert_url, clock, logger }) : null,
    defaultPage: hbSection.page,
    declared: hbSection.declare,
    directory: usersDirectory(users),
    onChange: (hb) => metrics.heartbeatState(hb.name, hb.state),
  });
  const checks = new SelfChecks({
    checks: selfCheckList({ db, telephony: telephonyCheck(telephony), senders, oncall: oncall.client, tts, heartbeats }),
    clock,
    reported: selfCheckReports(db, () => clock.now()),
    logger,
    admins: config.sections.admins ?? [],
    notifier: { notify: async (r) => void (await direct.page({ emails: r.emails, text: `${r.title}. ${r.text}`, source: 'self-check', everyTextChannel: true })) },
  });
  checksRef = checks;
  telephonyRef = telephony;
  const peer = config.peerUrl ? new PeerPinger({ url: config.peerUrl, clock, logger }) : null;

  const retentionCfg = config.sections.retention ?? retentionSectionDefaults();
  const hotline = new Hotline(
    {
      telephony, tts, clock, logger, users, pages: notifications, messages: new HotlineMessagesRepo(db, { keepDays: retentionCfg.hotline_voicemail_days }), oncall: oncall.client, actions: oncall.actions,
      // Wrong PINs counted across calls; the admins hear of a lockout as they hear of failed self-checks.
      pins: new DbPinGuard({ db, clock, logger: logger.child({ mod: 'hotline-pins' }), notifyAdmins: async (text) => void (await direct.page({ emails: config.sections.admins ?? [], text, source: 'hotline', everyTextChannel: true })) }),
    },
    { section: config.sections.hotline, public: config.hotlinePublic, lang: config.lang, dialTemplate: config.dialTemplate, callerId: config.callerId, publicUrl: config.publicUrl, escalationDefault: config.sections.escalation?.default, fqdnRegex: config.fqdnRegex },
  );
  telephony.onInbound((leg, args) => {
    if (args[0] === 'hotline') void hotline.handle(leg, args);
    else void leg.hangup('normal').catch(() => undefined); // nothing else is routed into the app
  });
  // Watchers that must run once across a cluster hold a lease; on SQLite the one process always does.
  const lease = new ClusterLease(db, now);
  const singletons: Singleton[] = [
    new Singleton({ name: 'watcher:heartbeats', holder: instanceId, lease, service: new HeartbeatLeader(heartbeats, { clock, logger, clustered: isPostgres(db) }), clock, logger, ttlMs: config.leases.clusterMs }),
  ];
  const shiftsCfg = config.sections.shifts ?? shiftsSectionDefaults();
  if (shiftsCfg.enabled && oncall.client) {
    const shifts = new ShiftWatcher({ client: oncall.client, repo: new ShiftNoticesRepo(db), directory: users, pager: direct, clock, logger, config: shiftsCfg });
    singletons.push(new Singleton({ name: 'watcher:shifts', holder: instanceId, lease, service: shifts, clock, logger, ttlMs: config.leases.clusterMs }));
  }
  // Runs on one instance only: two sweepers would race for the same rows for nothing.
  const retention = new RetentionSweeper({ db, clock, logger, config: retentionCfg, observe: (r) => metrics.retentionSwept(r.counts, r.finishedAt, r.complete) });
  singletons.push(new Singleton({ name: 'retention', holder: instanceId, lease, service: retention, clock, logger, ttlMs: config.leases.clusterMs }));
  let verifier: PhoneVerifier | null = null;

  // Every accepted call page starts its correlation and speech at once, before anyone dials.
  // A storm of pages for the same people should not cost a directory read each: keep them a few seconds.
  const recentUsers = new Map<number, { at: number; user: Promise<User | null> }>();
  wakeup.subscribe((n) => {
    if (!(VOICE_KINDS as readonly string[]).includes(n.kind) || n.userId === null) return;
    // Pages for someone already on the phone with us wait for that call; they are prepared when it ends.
    if (voice.isBusyWith(n.userId)) return;
    let hit = recentUsers.get(n.userId);
    if (!hit || now() - hit.at > 5_000) {
      if (recentUsers.size > 1000) recentUsers.clear();
      hit = { at: now(), user: users.getById(n.userId) };
      recentUsers.set(n.userId, hit);
    }
    void hit.user.then((u) => u && preparer.warm(n, u), (e: unknown) => logger.warn({ err: String(e) }, 'warm-up lookup failed'));
  });

  // One guard for every door of the admin token: guesses through one door count at all of them.
  const adminGuard = new AdminTokenGuard(config.adminToken, now);
  const http = buildHttp({
    config,
    logger,
    db,
    users,
    notifications,
    integrations,
    intake: new PageIntake(db, users, notifications, config.limits, now, channelsDeliverable({ telephonyConfigured: () => telephony.health().configured, senders })),
    heartbeats,
    tts,
    links: () => links,
    oncall,
    now,
    onEnqueued,
    verifier: () => verifier,
    audit,
    readiness: channelProbes({ telephony, senders, latest: () => checks.latest() }),
    adminGuard,
    extra: [
      { path: '/', router: hotline.router() },
      { path: '/', router: metricsRouter(metrics) },
      {
        path: '/console',
        router: consoleRouter({
          config, db, now, logger: logger.child({ mod: 'console' }), revocations: new DbSessionRevocations(db, now), adminGuard, audit, users, notifications, heartbeats, onEnqueued,
          verifier: () => verifier, senders, progress, telephonyHealth: () => telephony.health(),
          checks: () => checks.latest().map((c) => ({ name: c.name, state: c.state, detail: c.detail, checkedAt: c.at })),
          media: { ttsDir: tts.store.dir, soundsRoot: SOUNDS_ROOT },
        }),
      },
      {
        path: '/',
        router: statusRouter({
          source: new DbStatusSource({ db, health: async () => checks.latest().map((c) => ({ name: c.name, ok: c.ok, state: c.state, detail: c.detail })) }),
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

  let server: Server | null = null;
  return {
    config, logger, clock, db, instanceId, users, notifications, integrations, wakeup, http, telephony, tts, senders, oncall, voice, messages, heartbeats, checks, metrics, retention,
    async start() {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, 'database migrated');
      const linkSecret = config.linkSecret ?? (await new KvRepo(db, now).secret('link-secret'));
      links = new AckLinks({ secret: linkSecret, clock, publicUrl: config.publicUrl });
      await tts.init().catch((e: unknown) => logger.warn({ err: String(e) }, 'speech cache could not be prepared; rendering on demand'));
      await telephony.start();
      verifier = new PhoneVerifier({
        db, users, clock, logger: logger.child({ mod: 'verify' }), secret: linkSecret, publicUrl: config.publicUrl,
        sms: senders.sms.length ? senders : null,
        caller: config.ari.urls.length || overrides.telephony ? new VerificationCaller({ telephony, tts, clock }, { dialTemplate: config.dialTemplate, callerId: config.callerId }) : null,
      });
      for (const s of singletons) s.start();
      for (const hb of await heartbeats.list()) metrics.heartbeatState(hb.name, hb.state);
      if (overrides.startEngines !== false) {
        voice.start((fn) => wakeup.subscribe(fn));
        messages.start((fn) => wakeup.subscribe(fn));
      }
      checks.start();
      peer?.start();
      server = createServer(http);
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.listen.port, config.listen.host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      logger.info({ listen: `${addr.address}:${addr.port}`, db: config.db.client, instance: instanceId, telephony: telephony.health().message }, 'dozvon serving');
      return addr;
    },
    async stop() {
      if (server) {
        const s = server;
        server = null;
        s.closeIdleConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      peer?.stop();
      checks.stop();
      await hotline.stop();
      await verifier?.stop();
      await voice.stop();
      await messages.stop();
      for (const s of singletons) await s.stop();
      await heartbeats.stop();
      await telephony.stop();
      await senders.close();
      metrics.stop();
      await db.destroy();
      logger.info('dozvon stopped');
    },
  };
}
