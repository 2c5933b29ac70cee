/**
 * The trunks and what is known about each right now: its breaker, the calls it carries and its
 * latest test call. The dialer asks it for the order to try; readiness, `dozvon check`, the console
 * and /metrics read `status()`.
 */
import type { Clock } from '../core/clock';
import { Breaker, type BreakerState } from './breaker';
import type { Trunk } from './config';

export interface TestCallResult {
  at: number;
  ok: boolean;
  detail: string;
}

export interface TrunkStatus {
  name: string;
  breaker: BreakerState;
  failuresInRow: number;
  /** When an open breaker lets a call through again (ms), null unless open. */
  retryAt: number | null;
  activeCalls: number;
  maxCalls: number | null;
  /** The last test call, null when none is configured or none has run yet. */
  lastTest: TestCallResult | null;
  lastTestSuccessAt: number | null;
  /** False until a call or test call has gone through again after the breaker opened, and while the latest test call failed. */
  up: boolean;
}

/** What the outside hears about trunk legs (metrics). */
export interface TrunkObserver {
  legEnded(trunk: string, outcome: string): void;
  testCall(trunk: string, ok: boolean, at: number): void;
}

interface Entry {
  trunk: Trunk;
  breaker: Breaker;
  active: number;
  lastTest: TestCallResult | null;
  lastTestSuccessAt: number | null;
}

export class TrunkPool {
  private readonly entries: Entry[];

  constructor(
    trunks: readonly Trunk[],
    private readonly clock: Clock,
    private readonly observer: TrunkObserver | null = null,
  ) {
    this.entries = trunks.map((trunk) => ({
      trunk,
      breaker: new Breaker({ failures: trunk.breakerFailures, cooldownMs: trunk.breakerCooldownMs }),
      active: 0,
      lastTest: null,
      lastTestSuccessAt: null,
    }));
  }

  trunks(): readonly Trunk[] {
    return this.entries.map((e) => e.trunk);
  }

  /**
   * The trunks one call should try, in order: those whose breaker allows a call and that are under
   * their cap. When every breaker is open, all of them in order anyway: a page is worth a call on
   * a trunk that failed a minute ago, never worth no call at all.
   */
  plan(): Trunk[] {
    const now = this.clock.now();
    const free = this.entries.filter((e) => e.trunk.maxCalls === null || e.active < e.trunk.maxCalls);
    const allowed = free.filter((e) => e.breaker.allow(now));
    return (allowed.length ? allowed : free).map((e) => e.trunk);
  }

  /** A trunk that was planned but not dialled gives back a half-open probe it may hold. */
  notUsed(name: string): void {
    this.entry(name)?.breaker.released();
  }

  legStarted(name: string): void {
    const e = this.entry(name);
    if (e) e.active++;
  }

  /** `carrier`: failed on the carrier's side; `carried`: the carrier did its part; `unknown`: neither (a refused originate). */
  legEnded(name: string, verdict: 'carrier' | 'carried' | 'unknown', outcome: string, started: boolean): void {
    const e = this.entry(name);
    if (!e) return;
    if (started) e.active = Math.max(0, e.active - 1);
    if (verdict === 'carrier') e.breaker.failed(this.clock.now());
    else if (verdict === 'carried') e.breaker.succeeded();
    else e.breaker.released();
    this.observer?.legEnded(name, outcome);
  }

  /**
   * A test call's result. A failure opens the breaker at once, so real pages go to the other trunks
   * first: a carrier that answers 403 to everything (credit run out) looks like a declined call on
   * a page, which never fails over by itself.
   */
  testCallDone(name: string, ok: boolean, detail: string): void {
    const e = this.entry(name);
    if (!e) return;
    const at = this.clock.now();
    e.lastTest = { at, ok, detail };
    if (ok) {
      e.lastTestSuccessAt = at;
      e.breaker.succeeded();
    } else {
      e.breaker.trip(at);
    }
    this.observer?.testCall(name, ok, at);
  }

  status(): TrunkStatus[] {
    const now = this.clock.now();
    return this.entries.map((e) => {
      const b = e.breaker.snapshot(now);
      return {
        name: e.trunk.name,
        breaker: b.state,
        failuresInRow: b.failures,
        retryAt: b.retryAt,
        activeCalls: e.active,
        maxCalls: e.trunk.maxCalls,
        lastTest: e.lastTest,
        lastTestSuccessAt: e.lastTestSuccessAt,
        up: b.state === 'closed' && e.lastTest?.ok !== false,
      };
    });
  }

  private entry(name: string): Entry | undefined {
    return this.entries.find((e) => e.trunk.name === name);
  }
}
