/** Originates per second (token bucket) on the injected clock. */
import type { Clock } from '../core/clock';

export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly waiters: (() => void)[] = [];
  private timerSet = false;

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
  ) {
    this.tokens = perSecond;
    this.last = clock.now();
  }

  /** Resolves when one more originate is allowed. */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  private pump(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    while (this.waiters.length && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiters.shift()!();
    }
    if (this.waiters.length && !this.timerSet) {
      this.timerSet = true;
      const wait = Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
      this.clock.setTimeout(() => {
        this.timerSet = false;
        this.pump();
      }, wait);
    }
  }
}
