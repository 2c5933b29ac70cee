/**
 * Telephony over Asterisk ARI, on one or more servers (DOZVON_ARI_URL may list several). Each
 * originate goes to a connected server carrying the fewest calls; the leg stays on that server.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { AppError, errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import { withDeadline } from './ari-client';
import { AriCallLeg } from './ari-leg';
import { AriServer, FirstAttempt } from './ari-server';
import { Slots } from './slots';
import { ARI_CONNECTIONS } from './ari-rest';
import type { Bridge, CallLeg, OriginateRequest, TalkDetectOptions, Telephony, TelephonyHealth } from './types';
import { ModuleProbe } from './module-probe';

export interface AriTelephonyOptions {
  urls: readonly string[];
  user: string;
  password: string;
  app: string;
  clock: Clock;
  log: Logger;
  /** Deadline of each REST call (default 5 s). */
  requestTimeoutMs?: number;
  /** Deadline for loading the API description from one server (default 10 s). */
  connectTimeoutMs?: number;
  /** How long start() waits for a first connection before returning anyway (default 10 s). */
  startWaitMs?: number;
  /** Backoff for rebuilding a client after ari-client gave up (default 1 s doubling to 30 s). */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Added to the originate timeout before our own ring timer cancels the call (default 5 s). */
  ringGraceMs?: number;
  /** A server whose event socket stays down this long has its calls ended as lost (default 5 s). */
  lostAfterMs?: number;
  /** Originates in flight at once on one server (default 8); the rest of a burst waits its turn. */
  originateSlots?: number;
}

export class AriTelephony implements Telephony {
  private readonly servers: AriServer[];
  private readonly inboundHandlers: Array<(leg: CallLeg, args: string[]) => void> = [];
  private readonly log: Logger;
  private readonly ringGraceMs: number;
  private readonly originating = new Map<AriServer, Slots>();
  private started = false;
  /** Modules a call's features need (func_talkdetect), checked in the background. */
  private readonly modules: ModuleProbe;

  constructor(private readonly opts: AriTelephonyOptions) {
    if (opts.urls.length === 0)
      throw new AppError('telephony-not-configured', 'AriTelephony needs at least one ARI URL', { temporary: false });
    this.log = opts.log.child({ mod: 'telephony' });
    this.modules = new ModuleProbe({ user: opts.user, password: opts.password, log: this.log, now: () => opts.clock.now() });
    this.ringGraceMs = opts.ringGraceMs ?? 5000;
    this.servers = opts.urls.map(
      (url) =>
        new AriServer({
          url,
          user: opts.user,
          password: opts.password,
          app: opts.app,
          clock: opts.clock,
          log: this.log,
          requestTimeoutMs: opts.requestTimeoutMs ?? 5000,
          connectTimeoutMs: opts.connectTimeoutMs ?? 10000,
          reconnectInitialMs: opts.reconnectInitialMs ?? 1000,
          reconnectMaxMs: opts.reconnectMaxMs ?? 30000,
          lostAfterMs: opts.lostAfterMs ?? 5000,
          onInbound: (leg, args) => this.inbound(leg, args),
        }),
    );
    for (const s of this.servers) this.originating.set(s, new Slots(opts.originateSlots ?? ARI_CONNECTIONS));
  }

  /**
   * Connects every server; resolves once each has made its first attempt, or after startWaitMs
   * (health tells the rest). Rejects, and stops every server, when one of them finds our Stasis
   * app already held by another client: a second instance with the same app name must not start
   * and take it over. Found held later (the server was unreachable at start), it is reported, and
   * asked again with backoff.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const firsts: FirstAttempt[] = [];
    let timer: { cancel(): void } | null = null;
    const waited = new Promise<void>((resolve) => {
      timer = this.opts.clock.setTimeout(resolve, this.opts.startWaitMs ?? 10000);
    });
    for (const s of this.servers) s.start();
    await Promise.race([Promise.all(this.servers.map((s) => s.firstAttempt.then((f) => void firsts.push(f)))), waited]);
    (timer as { cancel(): void } | null)?.cancel();
    const taken = firsts.find((f) => f.outcome === 'taken');
    if (taken) {
      for (const s of this.servers) s.stop();
      throw new AppError(
        'ari-app-taken',
        `refusing to start: ${taken.message}. Give each dozvon instance its own DOZVON_ARI_APP, or stop the other one.`,
        { temporary: false },
      );
    }
  }

  async stop(): Promise<void> {
    for (const s of this.servers) s.stop();
  }

  health(): TelephonyHealth {
    const servers = this.servers.map((s) => s.health());
    const up = servers.filter((s) => s.state === 'connected').length;
    const bad = servers
      .filter((s) => s.state !== 'connected')
      .map((s) => `${new URL(s.url).host}: ${s.state}${s.error ? ` (${s.error})` : ''}`);
    return {
      ok: up > 0,
      configured: true,
      message:
        up === servers.length
          ? `connected to ${up} Asterisk server(s)`
          : `${up}/${servers.length} Asterisk server(s) connected; ${bad.join('; ')}`,
      servers,
    };
  }

  onInbound(fn: (leg: CallLeg, args: string[]) => void): void {
    this.inboundHandlers.push(fn);
  }

  private inbound(leg: CallLeg, args: string[]): void {
    this.log.info({ leg: leg.id, from: maskPhone(leg.callerNumber), args }, 'inbound call');
    if (this.inboundHandlers.length === 0) {
      this.log.warn('inbound call but nobody handles inbound calls: hanging up');
      void leg
        .hangup('normal')
        .catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'hangup of unhandled inbound call failed'));
      return;
    }
    for (const fn of this.inboundHandlers) {
      try {
        fn(leg, args);
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'inbound handler threw');
      }
    }
  }

  private pickServer(): AriServer {
    const live = this.servers.filter((s) => s.isConnected());
    if (live.length === 0) throw new AppError('telephony-unavailable', 'no Asterisk server is connected', { temporary: true });
    return live.reduce((best, s) => (s.activeLegs() < best.activeLegs() ? s : best));
  }

  async originate(req: OriginateRequest): Promise<CallLeg> {
    const args = req.appArgs ?? [];
    if (args.some((a) => a.includes(','))) throw new AppError('bad-app-args', 'appArgs must not contain commas', { temporary: false });
    if (!(req.timeoutSec > 0)) throw new AppError('bad-timeout', 'ring timeout must be positive', { temporary: false });
    const server = this.pickServer();
    if (req.talkDetect) this.modules.check(server.url, 'func_talkdetect.so', TALK_DETECT_MISSING);
    const id = `dozvon-${randomUUID()}`;
    const leg = new AriCallLeg(id, 'outbound', null, server, this.log.child({ leg: id }));
    // Our own channel id, registered before the REST call: events can overtake the reply, and none may arrive for an id we do not know.
    server.register(leg, `${id}-2`);
    leg.startRingTimer(req.timeoutSec, this.ringGraceMs);
    try {
      // The deadline is the request's own: a wait for a slot is bounded by the deadlines of those ahead.
      await this.originating.get(server)!.run(() =>
        withDeadline(
          Promise.resolve().then(() =>
            server.client().channels.originate({
              endpoint: req.endpoint,
              app: this.opts.app,
              appArgs: args.length ? args.join(',') : undefined,
              callerId: req.callerId,
              timeout: req.timeoutSec,
              channelId: id,
              otherChannelId: `${id}-2`,
              ...(req.talkDetect ? { variables: talkDetectVariables(req.talkDetect) } : {}),
            }),
          ),
          this.opts.requestTimeoutMs ?? 5000,
          'originate',
        ),
      );
    } catch (err) {
      leg.discard();
      throw err;
    }
    this.log.info({ leg: id, server: new URL(server.url).host }, 'originated');
    return leg;
  }

  async bridge(a: CallLeg, b: CallLeg): Promise<Bridge> {
    if (!(a instanceof AriCallLeg) || !(b instanceof AriCallLeg))
      throw new AppError('bad-leg', 'bridge needs legs made by this AriTelephony', { temporary: false });
    if (a.server !== b.server)
      throw new AppError('bridge-across-servers', 'both legs must be on the same Asterisk server', { temporary: false });
    const server = this.servers.find((s) => s.url === a.server) as AriServer;
    const timeout = this.opts.requestTimeoutMs ?? 5000;
    const bridgeId = `dozvon-br-${randomUUID()}`;
    await withDeadline(
      Promise.resolve().then(() => server.client().bridges.create({ type: 'mixing', bridgeId })),
      timeout,
      'create bridge',
    );
    try {
      await withDeadline(
        Promise.resolve().then(() => server.client().bridges.addChannel({ bridgeId, channel: [a.id, b.id] })),
        timeout,
        'add to bridge',
      );
    } catch (err) {
      await this.destroyBridge(server, bridgeId, timeout).catch((e: unknown) =>
        this.log.warn({ err: errorMessage(e) }, 'bridge cleanup failed'),
      );
      throw err;
    }
    return { id: bridgeId, destroy: () => this.destroyBridge(server, bridgeId, timeout) };
  }

  private async destroyBridge(server: AriServer, bridgeId: string, timeout: number): Promise<void> {
    try {
      await withDeadline(
        Promise.resolve().then(() => server.client().bridges.destroy({ bridgeId })),
        timeout,
        'destroy bridge',
      );
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'ari-not-found')) throw err;
    }
  }
}

const TALK_DETECT_MISSING =
  'answering machines are not detected and every answer counts as a person (add load = func_talkdetect.so to modules.conf)';

/** TALK_DETECT(set) as func_talkdetect reads it: the silence threshold, then the talking one if given. */
export function talkDetectVariables(o: TalkDetectOptions): Record<string, string> {
  return { 'TALK_DETECT(set)': o.talkingThreshold === null ? `${o.silenceMs}` : `${o.silenceMs},${o.talkingThreshold}` };
}
