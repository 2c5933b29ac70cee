/**
 * Feeds /metrics with delivery as it happens: an acknowledgement when it is made, a first ring
 * within a sweep of it, and each page once into the SLO counters 15 minutes after it arrived
 * (when its "within 15 minutes" is decided). The marks live in the database, so a restart or a
 * second instance neither loses nor doubles a page.
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { AckVia, DeliveryRepo, MarkedPage } from './repo';
import type { Channel } from './figures';

/** Where the recorder reports (the Prometheus metrics); trunk is null for texts and for calls on an unknown trunk. */
export interface DeliverySink {
  firstRing(channel: Channel, trunk: string | null, seconds: number): void;
  acknowledged(channel: Channel, trunk: string | null, seconds: number): void;
  /** A page entered the SLO counters; ackedAfterSeconds is null when it was not acknowledged. */
  counted(channel: Channel, trunk: string | null, ackedAfterSeconds: number | null): void;
}

export class DeliveryRecorder {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private readonly acking = new Set<Promise<void>>();

  constructor(
    private readonly deps: { repo: DeliveryRepo; sink: DeliverySink; clock: Clock; logger: Logger },
    private readonly opts: { sweepMs?: number } = {},
  ) {}

  start(): void {
    const loop = () => {
      this.timer = this.deps.clock.setTimeout(() => {
        this.running = this.sweep().finally(() => {
          this.running = null;
          if (this.timer) loop();
        });
      }, this.opts.sweepMs ?? 15_000);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.running;
    // Callers do not wait for acked(): its writes are waited for here, before the database closes.
    while (this.acking.size) await Promise.allSettled([...this.acking]);
  }

  /** A page was acknowledged now (a digit, its link, or OnCall settling it). Never throws. */
  acked(notificationId: number, via: AckVia): Promise<void> {
    const p = this.markAcked(notificationId, via).finally(() => this.acking.delete(p));
    this.acking.add(p);
    return p;
  }

  private async markAcked(notificationId: number, via: AckVia): Promise<void> {
    try {
      const at = this.deps.clock.now();
      for (const p of await this.deps.repo.markAcked(notificationId, via, at)) this.deps.sink.acknowledged(p.channel, p.trunk, secs(p, at));
    } catch (e) {
      this.deps.logger.warn({ notification: notificationId, err: errorMessage(e) }, 'could not record the acknowledgement');
    }
  }

  /** First rings and pages due for counting. Never throws: the next sweep tries again. */
  async sweep(): Promise<void> {
    try {
      const now = this.deps.clock.now();
      for (const p of await this.deps.repo.markFirstRings(now)) this.deps.sink.firstRing(p.channel, p.trunk, secs(p, p.at!));
      for (const p of await this.deps.repo.markCounted(now))
        this.deps.sink.counted(p.channel, p.trunk, p.at === null ? null : secs(p, p.at));
    } catch (e) {
      this.deps.logger.warn({ err: errorMessage(e) }, 'delivery sweep failed; the next one tries again');
    }
  }
}

function secs(p: MarkedPage, at: number): number {
  return Math.max(0, (at - p.receivedAt) / 1000);
}
