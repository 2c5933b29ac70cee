/**
 * The heartbeat watcher under a Singleton: two instances share the tables; pings reach
 * either; only the lease holder's timers fire; after the holder dies the other one pages a
 * heartbeat that expired meanwhile, once.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { FakeClock } from '../../fakes/clock';
import { ProcessClock } from '../../helpers/process-clock';
import { silentLogger } from '../../../src/core/log';
import { HeartbeatService, HeartbeatsRepo } from '../../../src/watchers/heartbeats';
import { ClusterLease, Singleton, HeartbeatLeader } from '../../../src/cluster';

forEachDb('heartbeat watcher on a cluster', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  const pages: string[] = [];
  const pagedAt: number[] = [];
  const parts: Array<{ s: Singleton; svc: HeartbeatService; pc: ProcessClock }> = [];

  beforeEach(async () => {
    t = await make();
    clock = new FakeClock(1_700_000_000_000);
    pages.length = 0;
    pagedAt.length = 0;
  });
  afterEach(async () => {
    for (const p of parts.splice(0)) if (!p.pc.dead) await p.s.stop();
    await t.close();
  });

  function instance(id: string) {
    const pc = new ProcessClock(clock);
    const svc = new HeartbeatService({
      repo: new HeartbeatsRepo(t.db),
      clock: pc,
      logger: silentLogger(),
      pager: { page: async (p) => void (pages.push(`${id}:${p.heartbeat.name}:${p.event}`), pagedAt.push(clock.now())) },
    });
    const s = new Singleton({
      name: 'watcher:heartbeats',
      holder: id,
      lease: new ClusterLease(t.db, () => clock.now()),
      service: new HeartbeatLeader(svc, { clock: pc, logger: silentLogger(), rescanMs: 500 }),
      clock: pc,
      logger: silentLogger(),
      ttlMs: 3_000,
    });
    s.start();
    parts.push({ s, svc, pc });
    return { s, svc, pc };
  }

  async function run(ms: number): Promise<void> {
    for (let d = 0; d < ms; d += 100) {
      await clock.advance(100);
      for (const p of parts) {
        await p.s.idle();
        await p.svc.idle();
      }
    }
  }

  it('a ping taken by the follower is watched by the leader; the leader dies; the heartbeat is paged once', async () => {
    const a = instance('a');
    await run(200);
    const b = instance('b');
    await run(200);
    expect([a.s.isLeader(), b.s.isLeader()]).to.deep.equal([true, false]);
    await b.svc.create({ name: 'backup', kind: 'healthchecks', periodS: 10, graceS: 5, page: ['ops@example.com'] });
    await b.svc.ping('backup', 'cron'); // first ping lands on the follower: its service arms nothing
    await run(1_000); // the leader's rescan arms the deadline
    await run(10_500);
    expect((await a.svc.get('backup'))!.state).to.equal('late');
    a.pc.dead = true; // kill -9 of the leader while the heartbeat is late
    await run(10_000);
    expect(b.s.isLeader()).to.equal(true);
    expect((await b.svc.get('backup'))!.state).to.equal('down');
    expect(pages).to.deep.equal(['b:backup:down']);
    await run(30_000);
    expect(pages).to.have.length(1);
  });

  it('takeover: a deadline that passed during the handover pages at once, with no restart grace', async () => {
    const a = instance('a');
    await run(200);
    const b = instance('b');
    await run(200);
    await a.svc.create({ name: 'backup', kind: 'healthchecks', periodS: 10, graceS: 5, page: ['ops@example.com'] });
    await b.svc.ping('backup', 'cron');
    await run(14_000); // late since 10 s, down due at 15 s
    expect((await a.svc.get('backup'))!.state).to.equal('late');
    a.pc.dead = true; // dies 1 s before the down deadline; its lease outlives it by up to 3 s
    let tookOverAt = 0;
    for (let i = 0; i < 60 && !tookOverAt; i++) {
      await run(100);
      if (b.s.isLeader()) tookOverAt = clock.now();
    }
    expect(tookOverAt, 'b took the lease').to.be.greaterThan(0);
    await run(100); // the re-armed timers are due at once: they fire at the clock's next step
    expect(pages).to.deep.equal(['b:backup:down']);
    // Paged on the takeover itself, not a grace (5 s) later as a cold start would.
    expect(pagedAt[0] - tookOverAt).to.be.at.most(100);
    await run(30_000);
    expect(pages).to.have.length(1);
  });

  it('cold start of the cluster: deadlines that passed while nobody ran keep their restart grace', async () => {
    const repo = new HeartbeatsRepo(t.db);
    const hb = await repo.insert(
      { name: 'nightly', kind: 'healthchecks', periodS: 60, graceS: 30, page: ['ops@example.com'] },
      clock.now() - 3_600_000,
    );
    // Left up by a cluster that went away an hour ago, its deadline long past.
    await repo.saveProgress(
      hb.id,
      { state: 'up', lastPingAt: clock.now() - 3_000_000, dueAt: clock.now() - 2_940_000, stateChangedAt: clock.now() - 3_000_000 },
      [],
    );
    const a = instance('a');
    await run(200);
    expect(a.s.isLeader()).to.equal(true);
    expect((await a.svc.get('nightly'))!.state).to.equal('late');
    await run(29_000);
    expect(pages, 'forgiven for 30 s from our start').to.deep.equal([]);
    await run(1_500);
    expect(pages).to.deep.equal(['a:nightly:down']);
  });
});
