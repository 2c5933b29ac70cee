/**
 * Runs a service on exactly one instance of the cluster: the one holding the named lease.
 *
 * - Never twice: the holder renews every ttl/3 and stops its service on its own once its
 *   lease is within `marginMs` of expiring without a renewal (a hung database, a paused
 *   process), while another instance may take the lease only after it has expired.
 * - Never zero times for longer than the lease: a follower that finds the lease taken comes
 *   back exactly when it expires (and at least every `pollMs`, to notice a release), so a
 *   holder killed with -9 is replaced within ttl (+ one poll) of its last renewal.
 * - Takeover or start: the service is told whether it takes over from a holder that was
 *   watching until moments ago (this instance saw a live lease, its own or a peer's, that ran
 *   until at most one lease time before the grant) or starts after nobody watched for longer
 *   (a cold start of the cluster, a long database outage). Watchers that forgive their own
 *   downtime must not forgive a handover: a deadline that passed in the gap is real.
 * Every step runs one at a time on the injected clock; nothing here throws into a timer.
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { ClusterLease, LeaseGrant } from './lease';

/** What a Singleton tells the service it starts. */
export interface StartContext {
  /** True when the service was running on some instance until at most one lease time ago. */
  takeover: boolean;
  grant: LeaseGrant;
  /** How long nobody ran the service before this start, when known (ms; 0 when the lease was handed over live). */
  gapMs: number | null;
}

/** What a Singleton can run: the watchers' start/stop shape. */
export interface Startable {
  start(ctx?: StartContext): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface SingletonOptions {
  /** The lease name, e.g. `watcher:heartbeats`. */
  name: string;
  /** This instance's id (the app's instanceId). */
  holder: string;
  lease: ClusterLease;
  service: Startable;
  clock: Clock;
  logger: Logger;
  /** Lease length: the longest the cluster goes without the service after its holder dies. Default 15 s. */
  ttlMs?: number;
  /** Longest a follower waits between tries (notices a release early). Default ttl/5. */
  pollMs?: number;
  /** The holder stops this long before its lease would expire unrenewed (clock skew allowance). Default ttl/10. */
  marginMs?: number;
  /** Called on every change of leadership (metrics, status page). Must not throw. */
  onChange?: (leading: boolean, grant: LeaseGrant | null) => void;
}

export class Singleton {
  private readonly ttlMs: number;
  private readonly pollMs: number;
  private readonly marginMs: number;
  private readonly log: Logger;
  private leading = false;
  private grant: LeaseGrant | null = null;
  /** Local deadline: past it the holder no longer trusts its lease. */
  private validUntil = 0;
  private running = false;
  private timer: TimerHandle | null = null;
  private watchdog: TimerHandle | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** After a failed start we stand back one lease time so a healthy peer wins the lease. */
  private backoffUntil = 0;
  /** The latest expiry of a live lease (anyone's) this instance has seen: the service ran at least until then. */
  private liveUntil: number | null = null;

  constructor(private readonly o: SingletonOptions) {
    this.ttlMs = o.ttlMs ?? 15_000;
    this.pollMs = o.pollMs ?? Math.max(50, Math.floor(this.ttlMs / 5));
    this.marginMs = o.marginMs ?? Math.max(20, Math.floor(this.ttlMs / 10));
    this.log = o.logger.child({ mod: 'cluster', lease: o.name, holder: o.holder });
  }

  /** Starts competing for the lease; the first try runs at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the service if we run it and releases the lease so a peer takes over at once. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    await this.serial(async () => {
      if (!this.leading) return;
      await this.demote(null);
      await this.o.lease
        .release(this.o.name, this.o.holder)
        .catch((e: unknown) => this.log.warn({ err: errorMessage(e) }, 'lease release failed; peers take over when it expires'));
    });
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The grant we hold, or null. */
  current(): LeaseGrant | null {
    return this.leading ? this.grant : null;
  }

  /** Resolves when no step is in progress (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  /** One acquire-or-renew step now (also what the timer runs). Resolves when it is done. */
  tick(): Promise<void> {
    return this.serial(() => this.step());
  }

  private async step(): Promise<void> {
    if (!this.running) return;
    const { clock } = this.o;
    if (this.leading) {
      const t = clock.now();
      try {
        const g = await this.o.lease.renew(this.o.name, this.o.holder, this.ttlMs);
        if (g) this.hold(g, t);
        else await this.demote('lease taken over by another instance');
      } catch (e) {
        this.log.warn({ err: errorMessage(e) }, 'lease renewal failed; retrying until the lease runs out');
      }
      if (this.leading && clock.now() >= this.validUntil - this.marginMs) await this.demote('lease could not be renewed in time');
    }
    if (!this.leading) await this.tryAcquire();
    if (!this.running) return;
    this.schedule(
      this.leading
        ? Math.min(Math.floor(this.ttlMs / 3), Math.max(0, this.validUntil - this.marginMs - clock.now()))
        : await this.followerWait(),
    );
  }

  private async tryAcquire(): Promise<void> {
    const t = this.o.clock.now();
    if (t < this.backoffUntil) return;
    let g: LeaseGrant | null;
    try {
      g = await this.o.lease.acquire(this.o.name, this.o.holder, this.ttlMs);
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'lease acquisition failed; will retry');
      return;
    }
    if (!g) {
      // Someone else holds a live lease: the service runs there at least until now.
      this.seenLive(t);
      return;
    }
    const gapMs = this.liveUntil === null ? null : Math.max(0, t - this.liveUntil);
    const ctx: StartContext = { takeover: gapMs !== null && gapMs <= this.ttlMs, grant: g, gapMs };
    this.hold(g, t);
    this.leading = true;
    this.log.info({ epoch: g.epoch, takeover: ctx.takeover, gapMs }, 'took the lease: starting the service here');
    this.changed();
    try {
      await this.o.service.start(ctx);
    } catch (e) {
      // A service that cannot start here may start elsewhere: give the lease back.
      this.log.error({ err: errorMessage(e) }, 'service failed to start; releasing the lease');
      this.backoffUntil = this.o.clock.now() + this.ttlMs;
      await this.demote('service failed to start');
      await this.o.lease
        .release(this.o.name, this.o.holder)
        .catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'lease release failed'));
    }
  }

  /** How long a follower waits: until the holder's lease expires, at most pollMs. */
  private async followerWait(): Promise<number> {
    try {
      const cur = await this.o.lease.current(this.o.name);
      if (cur && cur.expiresAt > this.o.clock.now()) this.seenLive(cur.expiresAt);
      if (cur) return Math.min(this.pollMs, Math.max(1, cur.expiresAt - this.o.clock.now() + 1));
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'reading the lease failed');
    }
    return this.pollMs;
  }

  /** Records a grant obtained by a statement started at `startedAt` (so the local deadline errs early). */
  private hold(g: LeaseGrant, startedAt: number): void {
    this.grant = g;
    this.validUntil = startedAt + this.ttlMs;
    this.watchdog?.cancel();
    // Independent of the step chain: a renewal stuck in the database must not keep us leading.
    this.watchdog = this.o.clock.setTimeout(
      () => {
        if (this.leading && this.o.clock.now() >= this.validUntil - this.marginMs)
          void this.demote('lease ran out while renewal was stuck');
      },
      Math.max(0, this.validUntil - this.marginMs - this.o.clock.now()),
    );
  }

  private seenLive(until: number): void {
    if (this.liveUntil === null || until > this.liveUntil) this.liveUntil = until;
  }

  /** `why` the lease was lost; null when this instance is stopping and gives it up itself (an operator's restart is no warning). */
  private async demote(why: string | null): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    // We ran the service until now (not until the lease's end: a stuck renewal stops us early).
    this.seenLive(this.o.clock.now());
    this.watchdog?.cancel();
    this.watchdog = null;
    if (why === null) this.log.info({ epoch: this.grant?.epoch }, 'stopping: the service stops here and its lease is released');
    else this.log.warn({ why, epoch: this.grant?.epoch }, 'lost the lease: stopping the service here');
    this.changed();
    try {
      await this.o.service.stop();
    } catch (e) {
      this.log.error({ err: errorMessage(e) }, 'service failed to stop cleanly');
    }
  }

  private changed(): void {
    try {
      this.o.onChange?.(this.leading, this.current());
    } catch (e) {
      this.log.error({ err: errorMessage(e) }, 'leadership listener threw');
    }
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      this.tick().catch((e: unknown) => {
        this.log.error({ err: errorMessage(e) }, 'lease step failed; trying again');
        if (this.running && !this.timer) this.schedule(this.pollMs);
      });
    }, ms);
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const p = this.chain.then(fn);
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }
}
