/**
 * Open while no call of this instance is between its claim and its originate. Background work
 * (preparing pages: correlation, enrichment, speech) starts only while it is open, so a burst's
 * claims, attempts and originates never queue behind that work on the event loop and on the
 * one SQLite connection: measured on a burst of 20 pages, make_call → originate p99 went from
 * about 180 ms with preparation running beside the dialling to about 70 ms without it.
 */
export interface DialingState {
  readonly busy: boolean;
  /** Calls `fn` once the gate is open (at once if it is). */
  whenOpen(fn: () => void): void;
}

export class DialingGate implements DialingState {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Marks one stretch of dialling work; the returned function ends it (any number of times, once counted). */
  enter(): () => void {
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.inFlight === 0) this.open();
    };
  }

  whenOpen(fn: () => void): void {
    if (this.busy) this.waiters.push(fn);
    else fn();
  }

  private open(): void {
    const ready = this.waiters;
    this.waiters = [];
    for (const fn of ready) fn();
  }
}
