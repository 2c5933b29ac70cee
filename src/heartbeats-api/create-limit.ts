/**
 * A heartbeat key may create heartbeats (`?create=1` on ping URLs, POST /v2/heartbeats, the
 * Alertmanager Watchdog), and each one pages when it expires: a sender looping over names would
 * fill the list with pagers. Over these APIs creation stops once `limit` heartbeats exist in all
 * (heartbeats.api_create_limit); the console and the configuration file are not limited.
 */
import type { HeartbeatService } from '../watchers/heartbeats';

export const NO_ROOM: unique symbol = Symbol('no room for another heartbeat');

export class CreateLimit {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly service: Pick<HeartbeatService, 'list'>,
    readonly limit: number,
  ) {}

  /**
   * Runs `create` when `name` exists already (nothing new is made) or one more heartbeat fits;
   * NO_ROOM otherwise. One at a time on this instance, so concurrent creations cannot all take
   * the last place.
   */
  run<T>(name: string, create: () => Promise<T>): Promise<T | typeof NO_ROOM> {
    const turn = this.tail.then(async () => ((await this.fits(name)) ? create() : NO_ROOM));
    // The caller gets the outcome, errors included; the queue only waits for the turn to end.
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  text(): string {
    return `Heartbeat limit reached: ${this.limit} heartbeats exist, and no more may be created over the API (heartbeats.api_create_limit). Delete unused ones in the console or raise the limit.`;
  }

  private async fits(name: string): Promise<boolean> {
    const all = await this.service.list();
    return all.length < this.limit || all.some((h) => h.name === name);
  }
}
