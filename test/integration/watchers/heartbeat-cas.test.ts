/**
 * Two instances write the same heartbeat rows: a ping taken by one and a timer firing on the
 * other must not overwrite each other. The repository's write is a compare-and-set against
 * the row a transition was computed from; the loser re-reads and recomputes.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { HeartbeatService, HeartbeatsRepo } from '../../../src/watchers/heartbeats';
import { FakePager } from '../../unit/watchers/fakes';

const S = 1000;

/** Runs `before` once, just ahead of the next write: the other instance's move lands in between. */
class InterleavedRepo extends HeartbeatsRepo {
  before: (() => Promise<void>) | null = null;
  override async saveProgress(...args: Parameters<HeartbeatsRepo['saveProgress']>): Promise<boolean> {
    const hook = this.before;
    this.before = null;
    if (hook) await hook();
    return super.saveProgress(...args);
  }
}

forEachDb('heartbeat writes across instances (compare-and-set)', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  const services: HeartbeatService[] = [];

  beforeEach(async () => {
    t = await make();
    clock = new FakeClock(1_700_000_000_000);
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    await t.close();
  });

  function instance(repo: HeartbeatsRepo, pager: FakePager): HeartbeatService {
    const svc = new HeartbeatService({ repo, clock, logger: silentLogger(), pager, defaultPage: ['ops@example.com'] });
    services.push(svc);
    return svc;
  }

  it('the repository writes only over the row it was given, and then records nothing', async () => {
    const repo = new HeartbeatsRepo(t.db);
    const hb = await repo.insert({ name: 'cas', kind: 'healthchecks', periodS: 60, graceS: 0 }, clock.now());
    const up = { state: 'up' as const, lastPingAt: clock.now() + 1, dueAt: clock.now() + 60_001, stateChangedAt: clock.now() + 1 };
    expect(await repo.saveProgress(hb.id, up, [{ at: clock.now() + 1, event: 'ping', detail: 'a' }], hb)).to.equal(true);
    // A second writer still holding the `new` row loses, and leaves no history behind.
    expect(
      await repo.saveProgress(hb.id, { ...up, lastPingAt: clock.now() + 2 }, [{ at: clock.now() + 2, event: 'ping', detail: 'b' }], hb),
    ).to.equal(false);
    const now = (await repo.get('cas'))!;
    expect([now.state, now.lastPingAt, now.dueAt]).to.deep.equal(['up', up.lastPingAt, up.dueAt]);
    expect((await repo.events(hb.id)).map((e) => e.detail)).to.deep.equal(['a']);
    expect(await repo.saveProgress(hb.id, { ...up, lastPingAt: clock.now() + 3 }, [], now)).to.equal(true);
  });

  it('a ping on the follower during the leader’s timer is kept, and the timer follows the new deadline', async () => {
    const leaderRepo = new InterleavedRepo(t.db);
    const pager = new FakePager();
    const leader = instance(leaderRepo, pager);
    const follower = instance(new HeartbeatsRepo(t.db), pager);
    await leader.start();
    await leader.create({ name: 'etl', kind: 'healthchecks', periodS: 60, graceS: 30 });
    await leader.ping('etl', 'cron');
    await clock.advance(59 * S);
    // The leader's timer reads `up, due now`; before it writes `late`, the follower takes a ping.
    let pingedAt = 0;
    leaderRepo.before = async () => {
      pingedAt = clock.now();
      await follower.ping('etl', 'cron on the follower');
    };
    await clock.advance(1 * S);
    await leader.idle();
    const hb = (await leader.get('etl'))!;
    expect([hb.state, hb.lastPingAt, hb.dueAt]).to.deep.equal(['up', pingedAt, pingedAt + 60 * S]);
    // The leader's timer now waits for the follower's deadline, not the stale one.
    await clock.advance(59 * S);
    await leader.idle();
    expect((await leader.get('etl'))!.state).to.equal('up');
    await clock.advance(1 * S);
    await leader.idle();
    expect((await leader.get('etl'))!.state).to.equal('late');
    expect(pager.pages).to.have.length(0);
  });

  it('a ping on the follower racing the leader’s down page still reports the recovery', async () => {
    const followerRepo = new InterleavedRepo(t.db);
    const pager = new FakePager();
    const leader = instance(new HeartbeatsRepo(t.db), pager);
    const follower = instance(followerRepo, pager);
    await leader.start();
    await leader.create({ name: 'backup', kind: 'healthchecks', periodS: 60, graceS: 30 });
    await leader.ping('backup', 'cron');
    await clock.advance(89 * S);
    await leader.idle();
    expect((await leader.get('backup'))!.state).to.equal('late');
    // The follower read `late`; before it writes `up`, the leader's timer takes it down and pages.
    followerRepo.before = async () => {
      await clock.advance(1 * S);
      await leader.idle();
    };
    await follower.ping('backup', 'cron, a little late');
    await follower.idle();
    await leader.idle();
    expect((await leader.get('backup'))!.state).to.equal('up');
    // Without the compare-and-set the ping would overwrite `down` and nobody would hear it is back.
    expect(pager.summary()).to.deep.equal(['down:backup', 'recovered:backup']);
  });
});
