/**
 * A circuit breaker per trunk. Closed: every call may use it. After `failures` carrier-side
 * failures in a row it opens: calls skip it for `cooldownMs`, so a dead carrier costs no time on
 * each page. Then it is half-open: one call tries it; success closes it, failure opens it again.
 * Time comes in as `now` (no clock inside), so the transitions are plain and testable.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  /** Carrier-side failures in a row. */
  failures: number;
  /** When an open breaker lets one call through again (ms), null unless open. */
  retryAt: number | null;
  lastFailureAt: number | null;
}

export class Breaker {
  private failuresInRow = 0;
  private openedAt: number | null = null;
  private probing = false;
  private lastFailureAt: number | null = null;

  constructor(private readonly opts: { failures: number; cooldownMs: number }) {}

  state(now: number): BreakerState {
    if (this.openedAt === null) return 'closed';
    return now >= this.openedAt + this.opts.cooldownMs ? 'half-open' : 'open';
  }

  /** May a call use this trunk now? Takes the half-open probe when it grants one. */
  allow(now: number): boolean {
    const s = this.state(now);
    if (s === 'closed') return true;
    if (s === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** The carrier carried the call (whatever the person then did). */
  succeeded(): void {
    this.failuresInRow = 0;
    this.openedAt = null;
    this.probing = false;
  }

  failed(now: number): void {
    this.failuresInRow++;
    this.lastFailureAt = now;
    const probeFailed = this.probing;
    this.probing = false;
    if (probeFailed || this.failuresInRow >= this.opts.failures) this.openedAt = now;
  }

  /** Opens at once: a test call to a number that always answers failed, which one failure already proves. */
  trip(now: number): void {
    this.failuresInRow++;
    this.lastFailureAt = now;
    this.probing = false;
    this.openedAt = now;
  }

  /** A granted call never got to the carrier (refused before dialling): the probe is free again. */
  released(): void {
    this.probing = false;
  }

  snapshot(now: number): BreakerSnapshot {
    const state = this.state(now);
    return {
      state,
      failures: this.failuresInRow,
      retryAt: state === 'open' && this.openedAt !== null ? this.openedAt + this.opts.cooldownMs : null,
      lastFailureAt: this.lastFailureAt,
    };
  }
}
