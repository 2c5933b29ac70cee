/**
 * Adapts the heartbeat watcher to run under a Singleton. Every instance keeps the
 * HeartbeatService (pings, the admin API and the cloud link reach whichever instance the
 * load balancer picks, and they only write rows); only the lease holder starts it, which
 * arms the deadline timers.
 *
 * A ping taken by a follower can give a heartbeat a deadline the leader's service has no
 * timer for (first ping, recovery after down, a shorter period). The leader's own timers
 * re-read the row when they fire, so a deadline that only moved later needs nothing; this
 * adapter rescans the table every `rescanMs` and has the service re-arm the heartbeats whose
 * deadline appeared or moved earlier.
 *
 * On a takeover (the Singleton saw the service running elsewhere until moments ago) the
 * service starts without its restart grace: a deadline that passed during the handover
 * pages at once. A cold start keeps forgiving the time nobody was watching.
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { Heartbeat } from '../watchers/heartbeats/model';
import type { Startable, StartContext } from './singleton';

/** The part of HeartbeatService this adapter uses. */
export interface HeartbeatWatcher {
  start(opts?: { takeover?: boolean }): Promise<void>;
  stop(): Promise<void>;
  list(): Promise<Heartbeat[]>;
  /**
   * Re-applied to a heartbeat that is not paused, `enable` changes nothing but persists the
   * same state and re-arms its timer from the stored deadline: the public way to re-arm.
   */
  enable(name: string): Promise<Heartbeat>;
}

export interface HeartbeatLeaderOptions {
  clock: Clock;
  logger: Logger;
  /** How often the leader looks for deadlines set elsewhere. Default 1 s. */
  rescanMs?: number;
  /**
   * Whether other instances may share the tables (PostgreSQL). On one instance a deadline the
   * rescan finds was set by a ping here or by the CLI, and the log must not speak of other instances.
   */
  clustered?: boolean;
}

export class HeartbeatLeader implements Startable {
  /** Per heartbeat, the earliest deadline our service is known to have a timer for. */
  private readonly armed = new Map<string, number>();
  private timer: TimerHandle | null = null;
  private active = false;
  private scanning: Promise<void> | null = null;
  private readonly log: Logger;

  constructor(
    private readonly watcher: HeartbeatWatcher,
    private readonly o: HeartbeatLeaderOptions,
  ) {
    this.log = o.logger.child({ mod: 'cluster', service: 'heartbeats' });
  }

  async start(ctx?: StartContext): Promise<void> {
    this.armed.clear();
    await this.watcher.start({ takeover: ctx?.takeover ?? false });
    this.active = true;
    // start() armed every stored deadline (or moved it, on a cold start).
    for (const hb of await this.watcher.list()) if (hb.dueAt !== null) this.armed.set(hb.name, hb.dueAt);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.active = false;
    this.timer?.cancel();
    this.timer = null;
    await this.scanning;
    await this.watcher.stop();
  }

  /** One rescan now (the timer's job; tests call it directly). */
  rescan(): Promise<void> {
    this.scanning ??= this.scan().finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async scan(): Promise<void> {
    if (!this.active) return;
    const seen = new Set<string>();
    for (const hb of await this.watcher.list()) {
      seen.add(hb.name);
      if (hb.dueAt === null || hb.state === 'paused') {
        this.armed.delete(hb.name);
        continue;
      }
      const known = this.armed.get(hb.name);
      if (known !== undefined && known <= hb.dueAt) continue;
      if (!this.active) return;
      const after = await this.watcher.enable(hb.name);
      const where = this.o.clustered
        ? 'deadline set on another instance: timer armed here'
        : 'new deadline found in the table (a ping or the CLI): timer armed';
      this.log.info({ heartbeat: hb.name, dueAt: after.dueAt }, where);
      if (after.dueAt !== null) this.armed.set(hb.name, after.dueAt);
    }
    for (const name of [...this.armed.keys()]) if (!seen.has(name)) this.armed.delete(name);
  }

  private schedule(): void {
    if (!this.active) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.rescan()
        .catch((e: unknown) => this.log.error({ err: errorMessage(e) }, 'heartbeat rescan failed'))
        .finally(() => this.schedule());
    }, this.o.rescanMs ?? 1_000);
  }
}
