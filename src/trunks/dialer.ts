/**
 * Dials one number with failover inside the attempt: a leg that fails on the carrier's side
 * before anything rang (failover.ts) is followed at once by a leg on the next trunk. Returns the
 * leg the call goes on with (ringing, answered, or ended for the person's reasons) and every leg
 * tried; the last leg's record is completed when it ends, so read `legs` after the call.
 */
import type { Clock } from '../core/clock';
import { AppError, errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { DialLeg } from '../db/notifications/types';
import { buildDialString } from '../telephony/dial-string';
import type { CallEnd, CallLeg, TalkDetectOptions, Telephony } from '../telephony/types';
import type { Trunk } from './config';
import { factsOf, legFate } from './failover';
import type { TrunkPool } from './pool';

export interface DialOptions {
  /** Used when the trunk has no caller ID of its own. */
  callerId: string;
  timeoutSec: number;
  appArgs: string[];
  /** Which of the person's phones this is (recorded on each leg). */
  phoneIndex?: number;
  signal?: AbortSignal;
  /** Talk detection on the channel from its creation (voicemail detection). */
  talkDetect?: TalkDetectOptions;
}

export interface DialResult {
  leg: CallLeg;
  trunk: string;
  legs: DialLeg[];
}

export interface Dialer {
  dial(number: string, opts: DialOptions): Promise<DialResult>;
}

/** What a leg did first: enough to decide whether the next trunk is needed. */
type FirstSign = 'ringing' | 'answered' | 'ended' | 'silent' | 'aborted';

/** Errors no other trunk can help with: no Asterisk, or a number no template can dial. */
const NOT_A_TRUNK_PROBLEM = new Set([
  'telephony-not-configured',
  'telephony-unavailable',
  'ari-unavailable',
  'bad-number',
  'bad-app-args',
  'bad-timeout',
]);

export class TrunkDialer implements Dialer {
  constructor(private readonly deps: { telephony: Telephony; pool: TrunkPool; clock: Clock; logger: Logger }) {}

  async dial(number: string, opts: DialOptions): Promise<DialResult> {
    const plan = this.deps.pool.plan();
    const legs: DialLeg[] = [];
    try {
      for (let i = 0; i < plan.length; i++) {
        const trunk = plan[i];
        const last = i === plan.length - 1;
        const rec: DialLeg = {
          trunk: trunk.name,
          phoneIndex: opts.phoneIndex ?? 0,
          startedAt: this.deps.clock.now(),
          endedAt: null,
          outcome: 'dialing',
          cause: null,
          sipCode: null,
        };
        legs.push(rec);
        const leg = await this.originate(trunk, number, opts, rec, last);
        if (!leg) continue;
        if (last) return { leg, trunk: trunk.name, legs };
        const sign = await this.firstSign(leg, trunk.ringWithinMs, opts.signal);
        if (sign === 'aborted') {
          // The caller listens for its signal only from now on: a leg it never sees ringing would ring on.
          await leg.hangup('normal').catch((e: unknown) => this.deps.logger.warn({ err: errorMessage(e) }, 'cancelling the leg failed'));
          return { leg, trunk: trunk.name, legs };
        }
        if (sign === 'silent') {
          await this.abandon(leg, rec);
          continue;
        }
        const end = leg.ended();
        if (sign === 'ended' && end && !opts.signal?.aborted && legFate(factsOf(end, leg.hasRung())) === 'carrier') {
          this.deps.logger.warn(
            { trunk: trunk.name, cause: end.cause, sipCode: end.sipCode ?? null, next: plan[i + 1].name },
            'trunk failed: next trunk',
          );
          continue;
        }
        return { leg, trunk: trunk.name, legs };
      }
      throw new AppError('no-trunk', 'no trunk is configured or every trunk is at its call cap', { temporary: true });
    } finally {
      for (const t of plan) if (!legs.some((l) => l.trunk === t.name)) this.deps.pool.notUsed(t.name);
    }
  }

  /** The leg, or null when the originate was refused and the next trunk should be tried. */
  private async originate(trunk: Trunk, number: string, opts: DialOptions, rec: DialLeg, last: boolean): Promise<CallLeg | null> {
    let leg: CallLeg;
    try {
      leg = await this.deps.telephony.originate({
        endpoint: buildDialString(trunk.dialTemplate, number),
        callerId: trunk.callerId ?? opts.callerId,
        timeoutSec: opts.timeoutSec,
        appArgs: opts.appArgs,
        ...(opts.talkDetect ? { talkDetect: opts.talkDetect } : {}),
      });
    } catch (e) {
      rec.endedAt = this.deps.clock.now();
      rec.outcome = 'failed';
      const ours = e instanceof AppError && NOT_A_TRUNK_PROBLEM.has(e.code);
      // A refused originate (500 "Allocation failed": the contact is unavailable) is the trunk's fault; a timeout may still have dialled, so it is not retried elsewhere.
      const refused = e instanceof AppError && e.code === 'ari-error';
      this.deps.pool.legEnded(trunk.name, refused ? 'carrier' : 'unknown', 'failed', false);
      if (ours || last || !refused) throw e;
      this.deps.logger.warn({ trunk: trunk.name, err: errorMessage(e) }, 'trunk refused the originate: next trunk');
      return null;
    }
    this.track(trunk, leg, rec);
    return leg;
  }

  /** Fills the leg's record and tells the pool when it ends, whoever is listening then. */
  private track(trunk: Trunk, leg: CallLeg, rec: DialLeg): void {
    this.deps.pool.legStarted(trunk.name);
    const onEnded = (end: CallEnd) => {
      rec.endedAt = this.deps.clock.now();
      rec.cause = end.cause;
      rec.sipCode = end.sipCode ?? null;
      if (rec.outcome === 'dialing') rec.outcome = end.outcome;
      const abandoned = rec.outcome === 'no-ring';
      const verdict = abandoned || legFate(factsOf(end, leg.hasRung())) === 'carrier' ? 'carrier' : 'carried';
      this.deps.pool.legEnded(trunk.name, verdict, rec.outcome, true);
    };
    const end = leg.ended();
    if (end) onEnded(end);
    else leg.on('ended', onEnded);
  }

  private firstSign(leg: CallLeg, ringWithinMs: number, signal?: AbortSignal): Promise<FirstSign> {
    return new Promise((resolve) => {
      const timer = ringWithinMs > 0 ? this.deps.clock.setTimeout(() => done('silent'), ringWithinMs) : null;
      const onAbort = () => done('aborted');
      const onRinging = () => done('ringing');
      const onAnswered = () => done('answered');
      const onEnded = () => done('ended');
      function done(s: FirstSign) {
        timer?.cancel();
        leg.off('ringing', onRinging);
        leg.off('answered', onAnswered);
        leg.off('ended', onEnded);
        signal?.removeEventListener('abort', onAbort);
        resolve(s);
      }
      leg.on('ringing', onRinging);
      leg.on('answered', onAnswered);
      leg.on('ended', onEnded);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (leg.ended()) done('ended');
      else if (leg.isUp()) done('answered');
      else if (leg.hasRung()) done('ringing');
      else if (signal?.aborted) done('aborted');
    });
  }

  /** Nothing rang within the trunk's window: cancel this leg and go on without waiting for its end. */
  private async abandon(leg: CallLeg, rec: DialLeg): Promise<void> {
    rec.outcome = 'no-ring';
    this.deps.logger.warn({ trunk: rec.trunk }, 'trunk did not ring in time: next trunk');
    await leg.hangup('normal').catch((e: unknown) => this.deps.logger.warn({ err: errorMessage(e) }, 'cancelling the silent leg failed'));
  }
}
