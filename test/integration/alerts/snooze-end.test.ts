/**
 * A snoozed alert pages again when its snooze ends (as Opsgenie notifies again): the runner, on
 * SQLite and PostgreSQL with a fake clock, pages the current step once at the end, the plan goes
 * on from there, a restart during the snooze still pages, and an alert acknowledged or closed
 * meanwhile stays quiet.
 */
import { expect } from 'chai';
import { forEachDb, type AnyTestDb } from '../../helpers/pg';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import { AuditRepo } from '../../../src/audit';
import { AlertsService } from '../../../src/alerts/service';
import { AlertEscalator, cancelAlertPages } from '../../../src/alerts/escalator';
import { DEFAULT_CHANNELS } from '../../../src/alerts/config';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import type { ResponderResolver } from '../../../src/alerts/responders';

const MIN = 60_000;

forEachDb('alerts: a snooze that ends pages again', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  let users: UsersRepo;
  let runners: AlertEscalator[];

  beforeEach(async () => {
    t = await make();
    clock = new FakeClock(Date.UTC(2026, 11, 6, 3, 0, 0));
    users = new UsersRepo(t.db, () => clock.now());
    await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    await users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222' }, { lang: 'en' });
    runners = [];
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
    await t.close();
  });

  /** Alice at once, Bob five minutes later. */
  const resolver: ResponderResolver = {
    async plan() {
      const alice = (await users.getByEmail('alice@example.com'))!.id;
      const bob = (await users.getByEmail('bob@example.com'))!.id;
      return {
        steps: [
          { afterMs: 0, userIds: [alice], label: 'alice' },
          { afterMs: 5 * MIN, userIds: [bob], label: 'bob' },
        ],
        teamId: null,
        unresolved: [],
      };
    },
  };
  const runner = () => {
    const r = new AlertEscalator({
      db: t.db,
      clock,
      logger: silentLogger(),
      users,
      channels: DEFAULT_CHANNELS,
      onEnqueued: () => undefined,
      sweepMs: 60 * MIN,
    });
    runners.push(r);
    return r;
  };
  const service = (r: AlertEscalator) =>
    new AlertsService({
      db: t.db,
      audit: new AuditRepo(t.db, () => clock.now()),
      clock,
      resolver,
      logger: silentLogger(),
      onDue: () => r.kick(),
      stopPages: async (id, why) => void (await cancelAlertPages(new NotificationsRepo(t.db, () => clock.now()), id, why)),
    });
  const pages = async () => ((await t.db('notifications').orderBy('id')) as { email: string }[]).map((p) => p.email);
  const alice = { name: 'Alice', email: 'alice@example.com' };
  const disk = { identifier: 'disk', type: 'alias' as const };

  async function pagedAliceThenSnoozed(r: AlertEscalator, svc: AlertsService, snoozeMin: number): Promise<void> {
    await svc.create({ name: 'x' }, null, { message: 'Disk full', alias: 'disk', priority: 'P1' });
    await clock.advance(0);
    await r.idle();
    expect(await pages()).to.deep.equal(['alice@example.com']);
    await clock.advance(MIN);
    await r.idle();
    const out = await svc.act(alice, disk, { action: 'snooze', endTime: clock.now() + snoozeMin * MIN });
    expect(out.success).to.equal(true);
  }
  /** A minute at a time: each look at the table ends (real I/O) before the clock moves on. */
  const advance = async (r: AlertEscalator, ms: number) => {
    for (let left = ms; left > 0; left -= MIN) {
      await clock.advance(Math.min(MIN, left));
      await r.idle();
    }
    if (ms === 0) await clock.advance(0);
    await r.idle();
  };

  it('at the end the current step pages once more, and the plan goes on from there with its delay', async () => {
    const r = runner();
    r.start();
    const svc = service(r);
    await pagedAliceThenSnoozed(r, svc, 10);
    // Bob's step was due at 5 minutes: the snooze holds it too.
    await advance(r, 10 * MIN - 1_000);
    expect(await pages()).to.deep.equal(['alice@example.com']);
    await advance(r, 1_000);
    expect(await pages()).to.deep.equal(['alice@example.com', 'alice@example.com']);
    const a = (await svc.get(disk))!;
    expect(a.snoozedUntil).to.equal(null);
    const events = await svc.events(a.id);
    expect(events.filter((e) => e.kind === 'snoozed').map((e) => e.text)).to.deep.equal([
      `snoozed until ${new Date(clock.now()).toISOString()}`,
      'snooze ended: step 1 of 2 paged again: alice',
    ]);
    await advance(r, 5 * MIN - 1_000);
    expect(await pages()).to.have.length(2);
    await advance(r, 1_000);
    expect(await pages()).to.deep.equal(['alice@example.com', 'alice@example.com', 'bob@example.com']);
    await advance(r, 60 * MIN);
    expect(await pages()).to.have.length(3);
  });

  it('the last step snoozed: it pages again at the end, where before nothing more would have come', async () => {
    const r = runner();
    r.start();
    const svc = service(r);
    await svc.create({ name: 'x' }, null, { message: 'Disk full', alias: 'disk', priority: 'P1' });
    await advance(r, 0);
    await advance(r, 5 * MIN);
    expect(await pages()).to.deep.equal(['alice@example.com', 'bob@example.com']);
    await svc.act(alice, disk, { action: 'snooze', endTime: clock.now() + 30 * MIN });
    await advance(r, 30 * MIN);
    expect(await pages()).to.deep.equal(['alice@example.com', 'bob@example.com', 'bob@example.com']);
    await advance(r, 120 * MIN);
    expect(await pages()).to.have.length(3);
  });

  it('a snooze that ended while no runner was up pages once when one starts', async () => {
    const first = runner();
    first.start();
    const svc = service(first);
    await pagedAliceThenSnoozed(first, svc, 10);
    await first.stop();
    await clock.advance(20 * MIN);
    const [a, b] = [runner(), runner()];
    const ran = await Promise.all([a.runDue(), b.runDue()]);
    expect(ran[0] + ran[1]).to.equal(1);
    expect(await pages()).to.deep.equal(['alice@example.com', 'alice@example.com']);
  });

  for (const action of ['acknowledge', 'close'] as const) {
    it(`${action} during the snooze: nothing pages when it ends`, async () => {
      const r = runner();
      r.start();
      const svc = service(r);
      await pagedAliceThenSnoozed(r, svc, 10);
      await advance(r, 2 * MIN);
      expect((await svc.act(alice, disk, { action })).success).to.equal(true);
      await advance(r, 60 * MIN);
      expect(await pages()).to.deep.equal(['alice@example.com']);
      const a = (await svc.get(disk))!;
      expect(a.snoozedUntil).to.equal(null);
      expect((await svc.events(a.id)).map((e) => e.text)).to.not.include.members(['snooze ended: step 1 of 2 paged again: alice']);
    });
  }

  it('snoozed again before the end: only the later end pages', async () => {
    const r = runner();
    r.start();
    const svc = service(r);
    await pagedAliceThenSnoozed(r, svc, 10);
    await advance(r, 5 * MIN);
    await svc.act(alice, disk, { action: 'snooze', endTime: clock.now() + 20 * MIN });
    await advance(r, 10 * MIN);
    expect(await pages()).to.have.length(1);
    await advance(r, 10 * MIN);
    expect(await pages()).to.deep.equal(['alice@example.com', 'alice@example.com']);
  });
});
