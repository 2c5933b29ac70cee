/**
 * One Asterisk server: an ari-client connection, its health, and the dispatcher that routes every
 * event to the leg, playback or recording it belongs to. ari-client reconnects the WebSocket by
 * itself (its backoff is set in ari-client.ts); when it gives up, the whole client is rebuilt here
 * with our own backoff, for ever.
 *
 * The Stasis app belongs to one client at a time: a second WebSocket for it takes it
 * over and the first hears ApplicationReplaced. So we never open our socket while someone else
 * holds the app: before the first connection, and after being replaced, `GET /applications/<app>`
 * is asked first, and while it answers 200 we stay `replaced` and ask again with backoff. The
 * holder keeps the app; we heal by ourselves once it lets go (the other process stopped).
 * Reconnects after a dropped socket skip the question: the app may still be held by our own
 * dead socket until Asterisk notices, and that must not keep us out.
 */
import type { Clock, TimerHandle } from '../core/clock';
import { AppError, errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { AriClient, AriEvent, appSubscribed, connectAri, stopClient, withDeadline } from './ari-client';
import { AriCallLeg, LegPort } from './ari-leg';
import type { CallLeg, RecordingResult, ServerHealth } from './types';

export interface AriServerOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  clock: Clock;
  log: Logger;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** How long the event socket may be down before this server's calls count as lost (default 5000). */
  lostAfterMs?: number;
  onInbound: (leg: CallLeg, args: string[]) => void;
}

/** How the first connection attempt ended; `taken`: another client holds our app on this Asterisk. */
export interface FirstAttempt {
  outcome: 'connected' | 'taken' | 'failed';
  message?: string;
}

const EVENTS = [
  'StasisStart',
  'StasisEnd',
  'ChannelDestroyed',
  'ChannelHangupRequest',
  'ChannelStateChange',
  'ChannelDtmfReceived',
  'ChannelTalkingStarted',
  'ChannelTalkingFinished',
  'Dial',
  'PlaybackFinished',
  'RecordingFinished',
  'RecordingFailed',
  'ApplicationReplaced',
];

interface Tracker<T> {
  legId: string;
  done: (v: T) => void;
}

export class AriServer implements LegPort {
  readonly url: string;
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  private state: ServerHealth['state'] = 'connecting';
  private error: string | null = null;
  private since: number;
  private ari: AriClient | null = null;
  private everConnected = false;
  /** Someone else held or took our app: ask Asterisk before opening a socket again. */
  private deferring = false;
  private logged = '';
  private stopped = false;
  private retryDelay: number;
  private retryTimer: TimerHandle | null = null;
  private lostTimer: TimerHandle | null = null;
  private readonly legs = new Map<string, { leg: AriCallLeg; partner: boolean }>();
  private readonly playbacks = new Map<string, Tracker<'done' | 'failed'>>();
  private readonly recordings = new Map<string, Tracker<RecordingResult>>();
  private readonly log: Logger;
  /** Settles once, with how the first attempt to connect ended (AriTelephony.start() reads it). */
  readonly firstAttempt: Promise<FirstAttempt>;
  private settleFirst: (r: FirstAttempt) => void = () => undefined;

  constructor(private readonly opts: AriServerOptions) {
    this.url = opts.url;
    this.clock = opts.clock;
    this.requestTimeoutMs = opts.requestTimeoutMs;
    this.since = opts.clock.now();
    this.retryDelay = opts.reconnectInitialMs;
    this.log = opts.log.child({ ari: new URL(opts.url).host });
    this.firstAttempt = new Promise((resolve) => {
      this.settleFirst = resolve;
    });
  }

  health(): ServerHealth {
    return { url: this.url, state: this.state, error: this.error, since: this.since, activeLegs: this.activeLegs() };
  }

  activeLegs(): number {
    return [...this.legs.values()].filter((e) => !e.partner).length;
  }

  isConnected(): boolean {
    return this.state === 'connected';
  }

  /** One log line per state (and per first error within a state), not one per retry. */
  private setState(state: ServerHealth['state'], error: string | null): void {
    if (state !== this.state) this.since = this.clock.now();
    const key = `${state}:${error ? 'error' : 'ok'}`;
    if (key !== this.logged) {
      this.logged = key;
      this.log[error ? 'warn' : 'info']({ state, error }, 'ARI connection state');
    }
    this.state = state;
    this.error = error;
  }

  client(): AriClient {
    if (!this.ari) throw new AppError('ari-unavailable', `Asterisk ${this.url} is not connected`, { temporary: true });
    return this.ari;
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped) return;
    let client: AriClient | null = null;
    try {
      if (
        (!this.everConnected || this.deferring) &&
        (await appSubscribed(this.url, this.opts.user, this.opts.password, this.opts.app, this.opts.connectTimeoutMs))
      ) {
        if (!this.stopped)
          this.onTaken(
            `Stasis app "${this.opts.app}" is already subscribed on ${this.host()} by another client (another dozvon with the same DOZVON_ARI_APP?)`,
          );
        return;
      }
      client = await connectAri(this.url, this.opts.user, this.opts.password, this.opts.connectTimeoutMs);
      if (this.stopped) return;
      this.attach(client);
      // No deadline on start(): it rejects only when ari-client's own retries are exhausted, and
      // abandoning it earlier would leave its scheduled reconnects alive.
      await client.start(this.opts.app);
    } catch (err) {
      if (client) this.detach(client);
      this.settleFirst({ outcome: 'failed', message: errorMessage(err) });
      // WebSocketMaxRetries or ApplicationReplaced may already have scheduled the rebuild.
      if (this.stopped || this.retryTimer) return;
      this.setState(this.everConnected ? 'reconnecting' : 'connecting', errorMessage(err));
      this.scheduleRebuild();
    }
  }

  private host(): string {
    return new URL(this.url).host;
  }

  /** Someone else holds the app: leave it to them, tell the owner, and look again later. */
  private onTaken(message: string): void {
    this.deferring = true;
    // While we keep asking, the first account of what happened stays the one reported.
    if (this.state !== 'replaced') this.setState('replaced', `${message}; not taking it back, asking Asterisk again with backoff`);
    this.settleFirst({ outcome: 'taken', message });
    if (!this.stopped && !this.retryTimer) this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.opts.reconnectMaxMs);
    this.retryTimer = this.clock.setTimeout(() => void this.connect(), delay);
  }

  private attach(client: AriClient): void {
    this.ari = client;
    for (const type of EVENTS) client.on(type, (ev: AriEvent) => this.dispatch(ev));
    client.on('WebSocketConnected', () => this.safely(() => this.onConnected()));
    client.on('WebSocketReconnecting', (err?: Error) =>
      this.safely(() => {
        this.settleFirst({ outcome: 'failed', message: err?.message ?? 'event WebSocket closed' });
        this.setState('reconnecting', err?.message ?? 'event WebSocket closed');
        this.armLostTimer();
      }),
    );
    client.on('WebSocketMaxRetries', (err?: Error) => this.safely(() => this.onGaveUp(err)));
  }

  private detach(client: AriClient): void {
    client.removeAllListeners();
    // ari-client's stop() does not cancel a reconnect it already scheduled: should that one
    // connect, it would take the app from whoever holds it now. Close it at once.
    client.on('WebSocketConnected', () => {
      try {
        stopClient(client);
      } catch (err) {
        this.log.debug({ err: errorMessage(err) }, 'ari-client stop after a late reconnect');
      }
    });
    try {
      stopClient(client);
    } catch (err) {
      this.log.debug({ err: errorMessage(err) }, 'ari-client stop');
    }
    if (this.ari === client) this.ari = null;
  }

  /**
   * While the event socket is down we cannot hear or steer our calls. A blip is forgiven (the
   * reconnect then checks each call); a longer outage ends them as lost so the engine can place
   * the page again on another Asterisk instead of waiting for this one to return.
   */
  private armLostTimer(): void {
    if (this.lostTimer || this.legs.size === 0) return;
    this.lostTimer = this.clock.setTimeout(() => {
      this.lostTimer = null;
      if (this.state === 'connected') return;
      this.log.warn({ legs: this.legs.size }, 'Asterisk unreachable for too long: ending its calls as lost');
      this.endAllLegs();
    }, this.opts.lostAfterMs ?? 5000);
  }

  private onConnected(): void {
    this.lostTimer?.cancel();
    this.lostTimer = null;
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.deferring = false;
    this.retryDelay = this.opts.reconnectInitialMs;
    this.setState('connected', null);
    this.settleFirst({ outcome: 'connected' });
    if (reconnect) void this.reconcile();
  }

  private onGaveUp(err?: Error): void {
    if (this.ari) this.detach(this.ari);
    this.setState('reconnecting', `event WebSocket retries exhausted: ${err?.message ?? 'unknown'}`);
    this.endAllLegs();
    this.scheduleRebuild();
  }

  /** Events were lost while the socket was down: a leg whose channel is gone (Asterisk restarted) has ended. */
  private async reconcile(): Promise<void> {
    const legs = [...this.legs.values()].filter((e) => !e.partner).map((e) => e.leg);
    await Promise.all(
      legs.map(async (leg) => {
        try {
          await withDeadline(this.client().channels.get({ channelId: leg.id }), this.requestTimeoutMs, 'check channel');
        } catch (err) {
          if (err instanceof AppError && err.code === 'ari-not-found') leg.finish({ lostConnection: true });
          else this.log.warn({ err: errorMessage(err) }, 'could not check a call after reconnecting');
        }
      }),
    );
  }

  private endAllLegs(): void {
    for (const { leg, partner } of [...this.legs.values()]) if (!partner) leg.finish({ lostConnection: true });
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'ARI event handler failed');
    }
  }

  /** The single entry point for events. Unknown ids are ignored: a Local channel's `;2` half sends events but never a StasisStart, and other apps' calls pass by. */
  private dispatch(ev: AriEvent): void {
    this.safely(() => {
      switch (ev.type) {
        case 'ApplicationReplaced':
          return this.onReplaced();
        case 'PlaybackFinished': {
          const t = ev.playback ? this.playbacks.get(ev.playback.id) : undefined;
          if (t && ev.playback) {
            this.playbacks.delete(ev.playback.id);
            t.done(ev.playback.state === 'done' ? 'done' : 'failed');
          }
          return;
        }
        case 'RecordingFinished':
        case 'RecordingFailed': {
          const t = ev.recording ? this.recordings.get(ev.recording.name) : undefined;
          if (t && ev.recording) {
            this.recordings.delete(ev.recording.name);
            t.done({ durationSec: ev.recording.duration ?? null, state: ev.type === 'RecordingFinished' ? 'done' : 'failed' });
          }
          return;
        }
        case 'Dial': {
          const e = ev.peer ? this.legs.get(ev.peer.id) : undefined;
          if (e && !e.partner) e.leg.handle(ev, false);
          return;
        }
        case 'StasisStart':
          if (ev.channel && !this.legs.has(ev.channel.id)) return this.inbound(ev);
          break;
        default:
          break;
      }
      const e = ev.channel ? this.legs.get(ev.channel.id) : undefined;
      e?.leg.handle(ev, e.partner);
    });
  }

  private onReplaced(): void {
    if (this.ari) this.detach(this.ari);
    this.endAllLegs();
    this.onTaken(
      `another client took Stasis app "${this.opts.app}" on ${this.host()} (ApplicationReplaced: another dozvon with the same DOZVON_ARI_APP?)`,
    );
  }

  private inbound(ev: AriEvent): void {
    const ch = ev.channel as NonNullable<AriEvent['channel']>;
    const leg = new AriCallLeg(ch.id, 'inbound', ch.caller?.number || null, this, this.log.child({ leg: ch.id }));
    this.register(leg);
    leg.handle(ev, false);
    this.opts.onInbound(leg, ev.args ?? []);
  }

  register(leg: AriCallLeg, partnerId?: string): void {
    this.legs.set(leg.id, { leg, partner: false });
    if (partnerId) this.legs.set(partnerId, { leg, partner: true });
  }

  released(leg: AriCallLeg): void {
    for (const [id, e] of this.legs) if (e.leg === leg) this.legs.delete(id);
    for (const [id, t] of this.playbacks) if (t.legId === leg.id) this.playbacks.delete(id);
    for (const [name, t] of this.recordings) if (t.legId === leg.id) this.recordings.delete(name);
  }

  trackPlayback(id: string, legId: string, done: (state: 'done' | 'failed') => void): void {
    this.playbacks.set(id, { legId, done });
  }

  trackRecording(name: string, legId: string, done: (r: RecordingResult) => void): void {
    this.recordings.set(name, { legId, done });
  }

  async fetchRecording(name: string): Promise<Buffer> {
    const url = `${new URL(this.url).origin}/ari/recordings/stored/${encodeURIComponent(name)}/file`;
    const auth = 'Basic ' + Buffer.from(`${this.opts.user}:${this.opts.password}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(url, { headers: { Authorization: auth }, signal: AbortSignal.timeout(this.requestTimeoutMs) });
    } catch (err) {
      throw new AppError('ari-error', `fetch recording: ${errorMessage(err)}`, { temporary: true, cause: err });
    }
    if (!res.ok)
      throw new AppError(res.status === 404 ? 'ari-not-found' : 'ari-error', `fetch recording: HTTP ${res.status}`, {
        temporary: res.status >= 500,
      });
    return Buffer.from(await res.arrayBuffer());
  }

  stop(): void {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.lostTimer?.cancel();
    this.lostTimer = null;
    this.retryTimer = null;
    if (this.ari) this.detach(this.ari);
    this.endAllLegs();
    this.setState('stopped', null);
  }
}
