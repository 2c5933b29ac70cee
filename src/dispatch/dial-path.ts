/**
 * The dial path goes first. While pages are being claimed and their calls started, background
 * preparation of queued pages (correlation, enrichment, speech: OnCall round trips, SQLite reads,
 * audio decoding) waits, so that it competes neither for the event loop nor for SQLite's single
 * connection with the calls it exists to serve. With ring first, nobody hears the speech before
 * the phone is answered seconds later, so a few hundred milliseconds of waiting cost nothing.
 */
import type { Clock } from '../core/clock';

/** A steady stream of pages must not starve preparation for ever: after this it runs anyway. */
export const DIAL_PATH_MAX_WAIT_MS = 2_000;

export class DialPath {
  private busy = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly clock: Clock) {}

  /** A claim round or a call on its way to the originate has begun. */
  enter(): void {
    this.busy++;
  }

  /** …and has reached the originate (or given up). */
  leave(): void {
    this.busy = Math.max(0, this.busy - 1);
    if (this.busy > 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  /** Resolves once nothing is on its way to an originate, or after DIAL_PATH_MAX_WAIT_MS. */
  whenClear(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, DIAL_PATH_MAX_WAIT_MS);
      const done = () => {
        timer.cancel();
        resolve();
      };
      this.waiters.push(done);
    });
  }
}
