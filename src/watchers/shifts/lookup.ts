/**
 * Reads `final_shifts` for one look (tick). The short window (reminders) is read every look
 * when reminders are on; the long one (when a shift really started and when it ends) only
 * when something happened in that schedule, because OnCall computes final shifts from the
 * calendar on every request.
 */
import type { CallOptions, OnCallClient } from '../../oncall';
import { floorMinute, stretches, type Stretch } from './model';

const DAY = 86_400_000;
/** Back far enough for a catch-up after a weekend of downtime; forward past a monthly rotation. */
const LONG_BACK_MS = 3 * DAY;
const LONG_AHEAD_MS = 32 * DAY;

export class ShiftLookup {
  private readonly long = new Map<string, Promise<Stretch[]>>();

  constructor(
    private readonly client: OnCallClient,
    private readonly now: number,
    private readonly opts: CallOptions,
  ) {}

  /** Stretches starting up to `aheadMs` from now (final_shifts works in whole minutes). */
  async soon(scheduleId: string, aheadMs: number): Promise<Stretch[]> {
    const window = { from: floorMinute(this.now), to: floorMinute(this.now + aheadMs) + 60_000 };
    return stretches(await this.client.finalShifts(scheduleId, window, this.opts), window);
  }

  /** Stretches around now, read once per schedule per look; rejects when OnCall does. */
  around(scheduleId: string): Promise<Stretch[]> {
    let p = this.long.get(scheduleId);
    if (!p) {
      const window = { from: floorMinute(this.now - LONG_BACK_MS), to: floorMinute(this.now + LONG_AHEAD_MS) };
      p = this.client.finalShifts(scheduleId, window, this.opts).then((rows) => stretches(rows, window));
      this.long.set(scheduleId, p);
    }
    return p;
  }
}
