/**
 * Test calls on a timer: each trunk with a `test:` number calls it every `every` minutes and
 * expects an answer within `answer_within` seconds, then hangs up. A trunk whose carrier stopped
 * taking calls (credit run out, every call 403) is then known before an incident needs it: the pool
 * marks it down (breaker, dozvon_trunk_up) and the trunk self-check tells the admins. Runs on one
 * instance of a cluster (a Singleton), so the test number is not called once per instance.
 */
import type { Clock, TimerHandle } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { buildDialString } from '../telephony/dial-string';
import type { CallEnd, CallLeg, Telephony } from '../telephony/types';
import type { Trunk } from './config';
import type { TrunkPool } from './pool';

export interface TestCallDeps {
  telephony: Telephony;
  pool: TrunkPool;
  clock: Clock;
  logger: Logger;
  callerId: string;
}

/** Beyond the answer window: our own deadline in case Asterisk never reports the leg's end. */
const GRACE_MS = 10_000;

export class TrunkTestCalls {
  private timers = new Map<string, TimerHandle>();
  private running = false;
  private readonly log: Logger;

  constructor(private readonly deps: TestCallDeps) {
    this.log = deps.logger.child({ mod: 'trunk-tests' });
  }

  /** The first round goes out at once: a trunk that is dead at start-up should be known before the first page, not N minutes later. */
  start(): void {
    this.running = true;
    for (const t of this.deps.pool.trunks()) if (t.test) this.schedule(t, 0);
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** One test call now; resolves with its result (the console's "test now" and the tests use it). */
  async runOnce(trunk: Trunk): Promise<{ ok: boolean; detail: string }> {
    const test = trunk.test;
    if (!test) return { ok: false, detail: 'no test number configured' };
    let leg: CallLeg;
    try {
      leg = await this.deps.telephony.originate({
        endpoint: buildDialString(trunk.dialTemplate, test.number),
        callerId: trunk.callerId ?? this.deps.callerId,
        timeoutSec: test.answerWithinSec,
        appArgs: ['trunk-test', trunk.name],
      });
    } catch (e) {
      return this.done(trunk, false, `originate refused: ${errorMessage(e)}`);
    }
    const end = await this.answerOrEnd(leg, test.answerWithinSec * 1000 + GRACE_MS);
    if (end === 'answered') {
      await leg.hangup('normal').catch((e: unknown) => this.log.warn({ err: errorMessage(e) }, 'test call hangup failed'));
      return this.done(trunk, true, 'answered');
    }
    if (end === 'silent') {
      await leg.hangup('no_answer').catch((e: unknown) => this.log.warn({ err: errorMessage(e) }, 'test call cancel failed'));
      return this.done(trunk, false, `no answer and no word from Asterisk within ${test.answerWithinSec} s`);
    }
    const sip = end.sipCode ? `, SIP ${end.sipCode}` : '';
    return this.done(
      trunk,
      false,
      `${end.outcome} (cause ${end.cause ?? '?'}${sip}) instead of an answer within ${test.answerWithinSec} s`,
    );
  }

  private schedule(trunk: Trunk, ms: number): void {
    if (!this.running) return;
    this.timers.set(
      trunk.name,
      this.deps.clock.setTimeout(() => {
        void this.runOnce(trunk)
          .catch((e: unknown) => this.log.error({ trunk: trunk.name, err: errorMessage(e) }, 'test call crashed'))
          .finally(() => this.schedule(trunk, trunk.test?.everyMs ?? ms));
      }, ms),
    );
  }

  private done(trunk: Trunk, ok: boolean, detail: string): { ok: boolean; detail: string } {
    this.log[ok ? 'info' : 'warn']({ trunk: trunk.name, ok, detail }, 'trunk test call');
    this.deps.pool.testCallDone(trunk.name, ok, detail);
    return { ok, detail };
  }

  private answerOrEnd(leg: CallLeg, deadlineMs: number): Promise<'answered' | 'silent' | CallEnd> {
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(() => done('silent'), deadlineMs);
      const onAnswered = () => done('answered');
      const onEnded = (end: CallEnd) => done(end);
      function done(r: 'answered' | 'silent' | CallEnd) {
        timer.cancel();
        leg.off('answered', onAnswered);
        leg.off('ended', onEnded);
        resolve(r);
      }
      leg.on('answered', onAnswered);
      leg.on('ended', onEnded);
      const end = leg.ended();
      if (leg.isUp()) done('answered');
      else if (end) done(end.answered ? 'answered' : end);
    });
  }
}
