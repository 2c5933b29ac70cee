/**
 * Minimal recorder of heartbeat pings: last ping time plus a history row. The watcher
 * service replaces it with one that also runs the state machine and timers.
 */
import type { Db } from './knex';
import type { HeartbeatSink } from '../cloud/deps';

export class RecordingHeartbeatSink implements HeartbeatSink {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async ping(name: string, source: string): Promise<void> {
    const t = this.now();
    await this.db.transaction(async (tx) => {
      const hb = (await tx('heartbeats').where({ name }).first()) as { id: number } | undefined;
      if (!hb) return;
      await tx('heartbeats').where({ id: hb.id }).update({ last_ping_at: t });
      await tx('heartbeat_events').insert({ heartbeat_id: hb.id, at: t, event: 'ping', detail: source.slice(0, 500) });
    });
  }
}
