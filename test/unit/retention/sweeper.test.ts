/** The sweeper's timer on a fake clock, over a real SQLite file. */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { RetentionSweeper, retentionSectionSchema, type RetentionSection } from '../../../src/retention';
import type { Db } from '../../../src/db/knex';

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function oldEvent(db: Db, now: number): Promise<void> {
  const [row] = await db('heartbeats')
    .insert({
      name: `hb-${Math.random()}`,
      kind: 'oncall',
      period_s: 60,
      grace_s: 60,
      enabled: true,
      page: '[]',
      state: 'up',
      state_changed_at: now,
      created_at: now,
    })
    .returning('id');
  const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
  await db('heartbeat_events').insert({ heartbeat_id: id, at: now - 91 * DAY, event: 'ping', detail: null });
}

describe('retention sweeper: timer', () => {
  let t: TestDb;
  let clock: FakeClock;
  let s: RetentionSweeper;
  const make = (config: Partial<RetentionSection> = {}) =>
    new RetentionSweeper({ db: t.db, clock, logger: silentLogger(), config: retentionSectionSchema.parse(config) });

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await s?.stop();
    await t.close();
  });

  it('sweeps a minute after start, then every hour on the clock; stop() leaves no timer', async () => {
    const t0 = clock.now();
    s = make();
    s.start();
    expect(clock.pending()).to.equal(1);
    await oldEvent(t.db, t0);
    await clock.advance(59_999);
    expect(s.lastSweep()).to.equal(null);
    await clock.advance(1);
    await s.idle();
    expect(s.lastSweep()!.startedAt).to.equal(t0 + 60_000);
    expect(s.lastSweep()!.counts.heartbeat_events).to.equal(1);
    expect(clock.pending()).to.equal(1);

    await oldEvent(t.db, clock.now());
    await clock.advance(HOUR - 1);
    await s.idle();
    expect(s.lastSweep()!.startedAt).to.equal(t0 + 60_000);
    await clock.advance(1);
    await s.idle();
    expect(s.lastSweep()!.startedAt).to.equal(t0 + 60_000 + HOUR);
    expect(s.lastSweep()!.counts.heartbeat_events).to.equal(1);
    expect(s.totals().heartbeat_events).to.equal(2);

    await s.stop();
    expect(clock.pending()).to.equal(0);
    await clock.advance(3 * HOUR);
    expect(s.lastSweep()!.startedAt).to.equal(t0 + 60_000 + HOUR);
  });

  it('follows sweep_every_minutes', async () => {
    const t0 = clock.now();
    s = make({ sweep_every_minutes: 15 });
    s.start();
    await clock.advance(60_000);
    await s.idle();
    await clock.advance(15 * 60_000);
    await s.idle();
    expect(s.lastSweep()!.startedAt).to.equal(t0 + 60_000 + 15 * 60_000);
  });

  it('stop() during a sweep waits for its statement, skips the remaining tables and schedules nothing', async () => {
    s = make();
    s.start();
    const sweep = s.sweepNow();
    await s.stop();
    expect(s.lastSweep(), 'stop() returned before the sweep ended').to.not.equal(null);
    const r = await sweep;
    expect(clock.pending()).to.equal(0);
    // The first table's batch finished; the tables after it were left for the next holder.
    expect([r.complete, Object.keys(r.batches)]).to.deep.equal([false, ['hotline_messages']]);
    await clock.advance(2 * HOUR);
    expect(s.lastSweep()).to.equal(r);
  });

  it('sets no timer when every table is kept for ever', async () => {
    s = make({
      hotline_voicemail_days: 0,
      notifications_days: 0,
      heartbeat_events_days: 0,
      shift_notices_days: 0,
      phone_verifications_days: 0,
      audit_log_days: 0,
      alert_requests_days: 0,
      closed_alerts_days: 0,
    });
    s.start();
    expect(clock.pending()).to.equal(0);
  });

  it('a failing table is reported and retried next hour while the other tables are swept', async () => {
    await oldEvent(t.db, clock.now());
    await t.db.schema.renameTable('shift_notices', 'shift_notices_away');
    s = make();
    s.start();
    await clock.advance(60_000);
    await s.idle();
    const r = s.lastSweep()!;
    expect(r.complete).to.equal(false);
    expect(r.errors.map((e) => e.table)).to.deep.equal(['shift_notices']);
    expect(r.counts.heartbeat_events).to.equal(1);
    await t.db.schema.renameTable('shift_notices_away', 'shift_notices');
    await clock.advance(HOUR);
    await s.idle();
    expect(s.lastSweep()!.errors).to.deep.equal([]);
    expect(s.lastSweep()!.complete).to.equal(true);
  });
});
