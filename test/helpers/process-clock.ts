/**
 * One instance's view of a shared fake clock, for tests of several "instances" in one process:
 * once `dead` is set its timers never fire again, as after kill -9.
 */
import type { Clock, TimerHandle } from '../../src/core/clock';
import type { FakeClock } from '../fakes/clock';

export class ProcessClock implements Clock {
  dead = false;
  constructor(private readonly base: FakeClock) {}
  now(): number {
    return this.base.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.base.setTimeout(() => {
      if (!this.dead) fn();
    }, ms);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.base.sleep(ms, signal);
  }
}
