/**
 * The inbound hotline (docs/hotline.md). The composition root builds one Hotline and registers it:
 *
 *   telephony.onInbound((leg, args) => args[0] === 'hotline' && void hotline.handle(leg, args));
 *   http.use(hotline.router());           // GET /hotline/messages/<token>.wav
 *   ... on shutdown: await hotline.stop();
 */
import type { Clock } from '../core/clock';
import { AppError, errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import type { PageTarget } from '../oncall/config';
import type { NotificationsRepo } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { RouterT } from '../http/express';
import type { OnCallActions, OnCallClient } from '../oncall/index';
import type { CallLeg, Telephony } from '../telephony/types';
import type { Tts } from '../tts/types';
import { resolveTrunks, TrunkDialer, TrunkPool, type Dialer } from '../trunks';
import { HttpHotlineAlerter, type HotlineAlerter } from './alert';
import { hotlineSectionDefaults, type HotlineSection } from './config';
import { Connector } from './connect';
import { CallerDirectory } from './identify';
import { IncidentSource } from './incidents';
import { HotlineMessagesRepo } from './messages-repo';
import { OnCallFinder } from './oncall-now';
import type { TeamDirectory } from './teams';
import { createHotlineRouter } from './router';
import { HotlineSession, type SessionOptions, type SessionReport } from './session';
import type { Lang } from './texts';
import { Voicemail } from './voicemail';
import type { PinGuard } from './pin-guard';

export { hotlineSectionSchema, hotlineSectionDefaults, type HotlineSection } from './config';
export { HttpHotlineAlerter, type HotlineAlert, type HotlineAlerter } from './alert';
export { HotlineMessagesRepo, type HotlineMessage } from './messages-repo';
export { createHotlineRouter, messageUrl, HOTLINE_MESSAGES_ROUTE } from './router';
export { IncidentSource, type HotlineIncident, type IncidentList } from './incidents';
export type { SessionReport, SessionOutcome } from './session';
export type { HotlineState } from './states';
export { DbPinGuard, DEFAULT_PIN_LIMITS, callerKey, type PinGuard, type PinCaller, type PinGate, type PinLimits } from './pin-guard';

export interface HotlineDeps {
  telephony: Telephony;
  tts: Tts;
  clock: Clock;
  logger: Logger;
  users: Pick<UsersRepo, 'getByPhone' | 'getByEmail' | 'secrets' | 'list' | 'byPhoneEnding'>;
  /** dozvon's own pages: read when OnCall cannot be. */
  pages: Pick<NotificationsRepo, 'listRecent'>;
  messages: HotlineMessagesRepo;
  oncall: OnCallClient | null;
  actions: Pick<OnCallActions, 'acknowledge'> | null;
  /** Default: an HttpHotlineAlerter on section.oncall_alert_url, none without one. */
  alerter?: HotlineAlerter | null;
  /** Counts wrong PINs across calls (DbPinGuard in production). */
  pins: PinGuard;
  /** Teams whose on-call digit 7 can reach (the teams side); none: no team path. */
  teams?: TeamDirectory | null;
  /** The app's trunks; without it, one trunk made of `dialTemplate`. */
  dialer?: Dialer;
}

export interface HotlineOptions {
  /** Config.sections.hotline (defaults when absent). */
  section?: HotlineSection;
  /** Config.hotlinePublic. */
  public: boolean;
  /** Config.lang: for callers the directory does not know. */
  lang: Lang;
  dialTemplate: string;
  callerId: string;
  publicUrl: string;
  /** Config.sections.escalation?.default: whom 9 rings when no hotline schedule is set. */
  escalationDefault?: PageTarget;
  fqdnRegex?: RegExp;
  timing?: Partial<HotlineTiming>;
}

export interface HotlineTiming {
  menuTimeoutMs: number;
  menuReplays: number;
  pinTimeoutMs: number;
  maxCallMs: number;
  oncallTimeoutMs: number;
  ringGraceMs: number;
}

const TIMING: HotlineTiming = {
  menuTimeoutMs: 10_000,
  menuReplays: 2,
  pinTimeoutMs: 10_000,
  maxCallMs: 30 * 60_000,
  oncallTimeoutMs: 4000,
  ringGraceMs: 10_000,
};

export class Hotline {
  private readonly log: Logger;
  private readonly timing: HotlineTiming;
  private readonly section: HotlineSection;
  private readonly active = new Map<string, { leg: CallLeg; stop: AbortController; done: Promise<SessionReport | null> }>();
  private readonly alerts = new Set<Promise<boolean>>();
  private readonly sessionDeps: ConstructorParameters<typeof HotlineSession>[0];
  private readonly sessionOpts: SessionOptions;
  private stopped = false;
  private readonly closing = new AbortController();
  readonly incidents: IncidentSource;

  constructor(
    private readonly deps: HotlineDeps,
    private readonly opts: HotlineOptions,
  ) {
    this.log = deps.logger.child({ mod: 'hotline' });
    this.timing = { ...TIMING, ...opts.timing };
    this.section = opts.section ?? hotlineSectionDefaults();
    const { clock, tts } = deps;
    this.incidents = new IncidentSource({
      client: deps.oncall,
      pages: deps.pages,
      clock,
      logger: this.log,
      fqdnRegex: opts.fqdnRegex,
      cacheMs: this.section.cache_seconds * 1000,
      timeoutMs: this.timing.oncallTimeoutMs,
    });
    const alerter =
      deps.alerter !== undefined
        ? deps.alerter
        : this.section.oncall_alert_url
          ? new HttpHotlineAlerter({ url: this.section.oncall_alert_url, clock, logger: this.log })
          : null;
    this.sessionDeps = {
      tts,
      clock,
      directory: new CallerDirectory(deps.users),
      incidents: this.incidents,
      actions: deps.actions,
      finder: new OnCallFinder({
        client: deps.oncall,
        users: deps.users,
        schedule: this.section.schedule,
        fallback: opts.escalationDefault,
        hunt: this.section.hunt,
        clock,
        logger: this.log,
        timeoutMs: this.timing.oncallTimeoutMs,
      }),
      connector: new Connector({
        telephony: deps.telephony,
        tts,
        clock,
        dialer: deps.dialer ?? oneTrunk(deps, opts.dialTemplate, this.log),
        callerId: opts.callerId,
        ringTimeoutSec: this.section.ring_timeout_seconds,
        ringGraceMs: this.timing.ringGraceMs,
      }),
      voicemail: new Voicemail({
        messages: deps.messages,
        alerter,
        clock,
        publicUrl: opts.publicUrl,
        maxSeconds: this.section.record_max_seconds,
        signal: this.closing.signal,
      }),
      pins: deps.pins,
      teams: deps.teams ?? null,
    };
    this.sessionOpts = {
      public: opts.public,
      requirePin: this.section.require_pin,
      lang: opts.lang,
      menuTimeoutMs: this.timing.menuTimeoutMs,
      menuReplays: this.timing.menuReplays,
      pinTimeoutMs: this.timing.pinTimeoutMs,
      maxPinAttempts: 3,
    };
  }

  /** Runs one call to its end. Never rejects; resolves with what happened (null when refused). */
  handle(leg: CallLeg, args: string[] = []): Promise<SessionReport | null> {
    // `caller`, not `from`: the state lines carry their own from/to.
    const log = this.log.child({ callId: leg.id, caller: maskPhone(leg.callerNumber) });
    if (this.stopped) {
      log.warn('hotline stopping: call refused');
      return leg.hangup('congestion').then(
        () => null,
        (err: unknown) => (log.warn({ err: errorMessage(err) }, 'refusing hangup failed'), null),
      );
    }
    log.info({ args }, 'hotline call');
    const stop = new AbortController();
    const cap = this.deps.clock.setTimeout(() => {
      log.warn('hotline call reached its length cap');
      stop.abort(new AppError('call-too-long', 'hotline call length cap'));
      void leg.hangup('normal').catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'cap hangup failed'));
    }, this.timing.maxCallMs);
    const done = new HotlineSession(this.sessionDeps, this.sessionOpts, leg, log, stop.signal)
      .run()
      .then(
        (report) => {
          log.info({ outcome: report.outcome, digits: report.digits.length, states: report.states.join('>') }, 'hotline call over');
          if (report.alert) this.track(report.alert);
          return report;
        },
        (err: unknown) => (log.error({ err: errorMessage(err) }, 'hotline session crashed'), null),
      )
      .finally(() => {
        cap.cancel();
        this.active.delete(leg.id);
      });
    this.active.set(leg.id, { leg, stop, done });
    return done;
  }

  /** Calls in progress (tests check that nothing is left behind). */
  activeCalls(): number {
    return this.active.size;
  }

  router(): RouterT {
    return createHotlineRouter({ messages: this.deps.messages, logger: this.log });
  }

  /** Hangs up every hotline call and waits for them, and up to 5 s for OnCall alerts still being sent. */
  async stop(): Promise<void> {
    this.stopped = true;
    const calls = [...this.active.values()];
    for (const c of calls) {
      c.stop.abort(new AppError('stopped', 'hotline stopping'));
      await c.leg.hangup('normal').catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'hangup on stop failed'));
    }
    await Promise.all(calls.map((c) => c.done));
    // A voicemail alert still on its way gets a few seconds; the message itself is stored already.
    const grace = this.deps.clock.setTimeout(() => this.closing.abort(new AppError('stopped', 'hotline stopping')), 5000);
    await Promise.all([...this.alerts]);
    grace.cancel();
  }

  private track(p: Promise<boolean>): void {
    this.alerts.add(p);
    void p.finally(() => this.alerts.delete(p));
  }
}

function oneTrunk(deps: HotlineDeps, dialTemplate: string, logger: Logger): Dialer {
  const pool = new TrunkPool(resolveTrunks(undefined, { dialTemplate }), deps.clock);
  return new TrunkDialer({ telephony: deps.telephony, pool, clock: deps.clock, logger });
}
