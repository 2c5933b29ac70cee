/**
 * Delivery figures and their metrics on both databases: acknowledgements, first rings and the
 * SLO counters are each observed once, by one of two instances, with the trunk of the call.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { UsersRepo } from '../../../src/directory/users-repo';
import { DeliveryRecorder, DeliveryRepo, allWindows, byRow } from '../../../src/delivery';
import { Metrics } from '../../../src/metrics';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { parseExposition } from '../metrics/exposition';
import { allMigrations } from '../../../src/db/migrations';

const MIN = 60_000;

forEachDb('delivery figures and metrics', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  let repo: NotificationsRepo;
  let delivery: DeliveryRepo;
  let metrics: Metrics;
  let instances: DeliveryRecorder[];
  let userId: number;

  beforeEach(async () => {
    t = await make();
    clock = new FakeClock(1_700_000_000_000);
    repo = new NotificationsRepo(t.db, () => clock.now());
    delivery = new DeliveryRepo(t.db);
    metrics = new Metrics();
    // Two instances sharing one database and, for the test, one registry: a double count shows.
    instances = [0, 1].map(() => new DeliveryRecorder({ repo: delivery, sink: metrics.delivery, clock, logger: silentLogger() }));
    userId = (await new UsersRepo(t.db, () => clock.now()).create({ email: 'a@x.io', name: 'A', phone: '+15550001111' }, { lang: 'en' }))
      .id;
  });
  afterEach(async () => {
    metrics.stop();
    await t.close();
  });

  const page = async (kind: 'call' | 'sms', alertGroupId: string) =>
    (await repo.enqueue({ kind, source: 'oncall-cloud', userId, email: 'a@x.io', message: kind, alertGroupId })).notification.id;
  const value = async (name: string, labels: Record<string, string>) =>
    parseExposition((await metrics.scrape()).body).value(name, labels) ?? 0;

  it('a digit acknowledges the call and the other pages of its incident, once, with the trunk that carried the call', async () => {
    const call = await page('call', 'IG1');
    const text = await page('sms', 'IG1');
    const other = await page('sms', 'IG2');
    const a = await repo.startAttempt({ notificationId: call, channel: 'voice', callId: 'c1' });
    await repo.updateAttempt(a, { ringingAt: clock.now() + 4_000, trunk: 'carrier-a', outcome: 'answered' });
    const s = await repo.startAttempt({ notificationId: text, channel: 'sms:gw', callId: 's1' });
    await repo.updateAttempt(s, { endedAt: clock.now() + 2_000, outcome: 'sent' });
    await clock.advance(90_000);
    for (const r of instances) await r.acked(call, 'digit');
    const voice = { channel: 'voice', trunk: 'carrier-a' };
    const sms = { channel: 'sms', trunk: '' };
    expect(await value('dozvon_time_to_ack_seconds_count', voice)).to.equal(1);
    expect(await value('dozvon_time_to_ack_seconds_bucket', { ...voice, le: '120' })).to.equal(1);
    expect(await value('dozvon_time_to_ack_seconds_bucket', { ...voice, le: '60' })).to.equal(0);
    expect(await value('dozvon_time_to_ack_seconds_count', sms), 'the text about the same incident').to.equal(1);

    for (const r of instances) await r.sweep();
    expect(await value('dozvon_time_to_first_ring_seconds_count', voice)).to.equal(1);
    expect(await value('dozvon_time_to_first_ring_seconds_bucket', { ...voice, le: '5' })).to.equal(1);
    expect(await value('dozvon_time_to_first_ring_seconds_count', sms)).to.equal(1);
    expect(await value('dozvon_pages_total', voice), 'not counted before 15 minutes').to.equal(0);

    await clock.advance(14 * MIN);
    for (const r of instances) await r.sweep();
    expect(await value('dozvon_pages_total', voice)).to.equal(1);
    expect(await value('dozvon_pages_total', sms)).to.equal(2);
    expect(await value('dozvon_pages_acked_total', { ...voice, within: '1m' })).to.equal(0);
    expect(await value('dozvon_pages_acked_total', { ...voice, within: '5m' })).to.equal(1);
    expect(await value('dozvon_pages_acked_total', { ...sms, within: '5m' }), 'IG2 was never acknowledged').to.equal(1);
    expect(await value('dozvon_pages_acked_total', { ...sms, within: '15m' })).to.equal(1);

    const lines = byRow(allWindows(await delivery.pages(clock.now() - 30 * 24 * 60 * MIN, clock.now()), clock.now()));
    const day = (channel: string, trunk?: string | null) =>
      lines.find((l) => l.key.channel === channel && l.key.trunk === trunk)!.windows[0]!.share;
    expect(day('voice', 'carrier-a')).to.deep.equal({ pages: 1, acked: { '1m': 0, '5m': 1, '15m': 1 } });
    expect(day('sms')).to.deep.equal({ pages: 2, acked: { '1m': 0, '5m': 1, '15m': 1 } });
    expect(other).to.be.a('number');
  });

  it('a link acknowledges its own page; a call never dialled counts under the unknown trunk; cancelled pages do not count', async () => {
    const text = await page('sms', 'IG3');
    const call = await page('call', 'IG4');
    const dropped = await page('call', 'IG5');
    expect(await repo.cancelPending(dropped, 'cancelled', 'by an admin')).to.equal(true);
    await clock.advance(30_000);
    await instances[0].acked(text, 'link');
    await clock.advance(16 * MIN);
    await instances[1].sweep();
    expect(await value('dozvon_pages_acked_total', { channel: 'sms', trunk: '', within: '1m' })).to.equal(1);
    expect(await value('dozvon_pages_total', { channel: 'voice', trunk: 'unknown' })).to.equal(1);
    expect(await value('dozvon_pages_acked_total', { channel: 'voice', trunk: 'unknown', within: '15m' })).to.equal(0);
    const row = (await t.db('notifications').where({ id: text }).first()) as { acked_via: string; acked_at: number | string };
    expect([row.acked_via, Number(row.acked_at)]).to.deep.equal(['link', clock.now() - 16 * MIN]);
    expect(call).to.be.a('number');
  });
  it('migration 017 keeps existing pages: they are not counted again, and known digits and OnCall settlements are acknowledgements', async () => {
    const m = allMigrations().find((x) => x.name === '017_delivery')!;
    await m.down(t.db);
    const digit = await page('call', 'IG6');
    const settled = await page('call', 'IG7');
    const open = await page('sms', 'IG8');
    await clock.advance(40_000);
    await repo.finish(digit, null, 'delivered', 'digit', 'pressed 1');
    await repo.finish(settled, null, 'cancelled', 'settled-elsewhere', 'acknowledged in OnCall');
    await m.up(t.db);
    const rows = (await t.db('notifications').orderBy('id').select('id', 'acked_at', 'acked_via', 'counted_at')) as {
      id: number;
      acked_at: number | string | null;
      acked_via: string | null;
      counted_at: number | string | null;
    }[];
    expect(rows.map((r) => [r.id, r.acked_via, r.acked_at === null ? null : Number(r.acked_at)])).to.deep.equal([
      [digit, 'digit', clock.now()],
      [settled, 'oncall', clock.now()],
      [open, null, null],
    ]);
    expect(rows.every((r) => r.counted_at !== null)).to.equal(true);
    await clock.advance(20 * MIN);
    await instances[0].sweep();
    expect(await value('dozvon_pages_total', { channel: 'voice', trunk: 'unknown' }), 'old pages are history').to.equal(0);
    expect(await value('dozvon_time_to_first_ring_seconds_count', { channel: 'sms', trunk: '' })).to.equal(0);
  });
});
