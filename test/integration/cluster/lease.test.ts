/**
 * ClusterLease and the Singleton runner on SQLite and PostgreSQL, on a fake clock: several
 * "instances" (Singletons with their own holder id) compete for one lease; a crash is an
 * instance whose timers stop firing.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { FakeClock } from '../../fakes/clock';
import { ProcessClock } from '../../helpers/process-clock';
import { silentLogger, type Logger } from '../../../src/core/log';
import { captureLogs } from '../../helpers/log-scan';
import { ClusterLease, Singleton, LeaseGrant, StartContext } from '../../../src/cluster';

/** Tracks how many instances run the service at each moment. */
class Census {
  running = new Set<string>();
  maxTogether = 0;
  starts: string[] = [];
  contexts: Array<{ id: string; takeover: boolean; gapMs: number | null }> = [];
  service(id: string, opts: { failStart?: boolean } = {}) {
    return {
      start: (ctx?: StartContext) => {
        if (ctx) this.contexts.push({ id, takeover: ctx.takeover, gapMs: ctx.gapMs });
        if (opts.failStart) throw new Error('cannot start here');
        this.running.add(id);
        this.starts.push(id);
        this.maxTogether = Math.max(this.maxTogether, this.running.size);
      },
      stop: () => void this.running.delete(id),
    };
  }
}

const TTL = 3_000;

forEachDb('cluster lease', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  let lease: ClusterLease;
  const singletons: Singleton[] = [];

  beforeEach(async () => {
    t = await make();
    clock = new FakeClock(1_700_000_000_000);
    lease = new ClusterLease(t.db, () => clock.now());
  });
  afterEach(async () => {
    for (const s of singletons.splice(0)) await s.stop();
    await t.close();
  });

  it('acquire / renew / release, with expiry, in one statement each', async () => {
    const a = (await lease.acquire('hb', 'a', TTL))!;
    expect(a).to.deep.equal({ name: 'hb', holder: 'a', expiresAt: clock.now() + TTL, epoch: 1 });
    expect(await lease.acquire('hb', 'b', TTL)).to.equal(null);
    await clock.advance(1_000);
    expect((await lease.acquire('hb', 'a', TTL))!.expiresAt).to.equal(clock.now() + TTL); // ours: extended, same term
    expect((await lease.renew('hb', 'a', TTL))!.epoch).to.equal(1);
    expect(await lease.renew('hb', 'b', TTL)).to.equal(null);
    await clock.advance(TTL + 1);
    const b = (await lease.acquire('hb', 'b', TTL))!;
    expect([b.holder, b.epoch]).to.deep.equal(['b', 2]);
    expect(await lease.renew('hb', 'a', TTL)).to.equal(null); // expired and taken: not ours any more
    expect(await lease.release('hb', 'a')).to.equal(false);
    expect(await lease.release('hb', 'b')).to.equal(true);
    expect((await lease.acquire('hb', 'c', TTL))!.epoch).to.equal(3); // free at once after a release
    expect((await lease.current('hb'))!.holder).to.equal('c');
    expect(await lease.current('other')).to.equal(null);
  });

  it('gives a lease to exactly one of many instances racing for it', async () => {
    const grants = await Promise.all(Array.from({ length: 12 }, (_, i) => lease.acquire('race', `i${i}`, TTL)));
    expect(grants.filter((g) => g !== null)).to.have.length(1);
    await clock.advance(TTL + 1);
    const again = await Promise.all(Array.from({ length: 12 }, (_, i) => lease.acquire('race', `j${i}`, TTL)));
    const won = again.filter((g): g is LeaseGrant => g !== null);
    expect(won.map((g) => g.epoch)).to.deep.equal([2]);
  });

  async function settle(ms: number, step = 100): Promise<void> {
    for (let d = 0; d < ms; d += step) {
      await clock.advance(step);
      for (let i = 0; i < 3; i++) await Promise.all(singletons.map((s) => s.idle()));
    }
  }

  function instance(id: string, census: Census, opts: { failStart?: boolean; lease?: ClusterLease; logger?: Logger } = {}) {
    const pc = new ProcessClock(clock);
    const s = new Singleton({
      name: 'watcher:heartbeats',
      holder: id,
      lease: opts.lease ?? lease,
      service: census.service(id, opts),
      clock: pc,
      logger: opts.logger ?? silentLogger(),
      ttlMs: TTL,
    });
    singletons.push(s);
    s.start();
    return {
      s,
      kill: () => {
        pc.dead = true;
        census.running.delete(id); // the process is gone, and its service with it
      },
    };
  }

  it('runs the service on one instance; kill -9 of the holder hands it over within the lease time', async () => {
    const census = new Census();
    const ins = ['a', 'b', 'c'].map((id) => instance(id, census));
    await settle(500);
    expect(census.running.size).to.equal(1);
    const first = [...census.running][0];
    await settle(20_000); // many renewals, no change of holder
    expect(census.starts).to.deep.equal([first]);
    ins.find((i) => i.s === singletons[['a', 'b', 'c'].indexOf(first)])!.kill();
    const killedAt = clock.now();
    let resumedAt = 0;
    for (let i = 0; i < 60 && census.running.size === 0; i++) {
      await settle(100);
      if (census.running.size) resumedAt = clock.now();
    }
    expect(census.running.size).to.equal(1);
    expect(resumedAt - killedAt).to.be.at.most(TTL + 200);
    expect(census.maxTogether).to.equal(1);
    expect(census.starts).to.have.length(2);
  });

  it('tells the service whether it takes over a live watch or starts after nobody watched', async () => {
    const census = new Census();
    const a = instance('a', census);
    await settle(300);
    const b = instance('b', census);
    await settle(2_000);
    a.kill();
    await settle(TTL + 1_000);
    b.kill();
    await settle(10 * TTL); // the whole cluster is down for a while
    instance('c', census);
    await settle(300);
    expect(census.contexts.map((c) => [c.id, c.takeover])).to.deep.equal([
      ['a', false], // cold start: nobody was watching
      ['b', true], // b saw a's live lease: a handover
      ['c', false], // c never saw anyone: a cold start, whatever the row says
    ]);
    expect(census.contexts[1].gapMs).to.be.at.most(TTL / 5 + 100);
  });

  it('an orderly stop releases the lease: a peer takes over at its next poll, not after expiry', async () => {
    const census = new Census();
    const logs = captureLogs();
    instance('a', census, { logger: logs.logger });
    await settle(200);
    instance('b', census);
    await settle(200);
    expect([...census.running]).to.deep.equal(['a']);
    await singletons[0].stop();
    await settle(800); // ttl/5 = 600 ms poll
    expect([...census.running]).to.deep.equal(['b']);
    expect(census.maxTogether).to.equal(1);
    // An operator's restart is no warning: the lease is given up, not lost.
    const lines = (await logs.lines()).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).to.deep.equal([]);
    expect(lines.map((l) => l.msg)).to.include('stopping: the service stops here and its lease is released');
  });

  it('a holder cut off from the database stops its service before anyone else may start it', async () => {
    const census = new Census();
    let broken = false;
    const flaky = new ClusterLease(t.db, () => clock.now());
    const renew = flaky.renew.bind(flaky);
    const acquire = flaky.acquire.bind(flaky);
    flaky.renew = async (...args) => {
      if (broken) throw new Error('database unreachable');
      return renew(...args);
    };
    flaky.acquire = async (...args) => {
      if (broken) throw new Error('database unreachable');
      return acquire(...args);
    };
    const logs = captureLogs();
    instance('a', census, { lease: flaky, logger: logs.logger });
    await settle(200);
    instance('b', census);
    await settle(2_000);
    expect([...census.running]).to.deep.equal(['a']);
    broken = true;
    const brokeAt = clock.now();
    let aStoppedAt = 0;
    let bStartedAt = 0;
    for (let i = 0; i < 80 && !bStartedAt; i++) {
      await settle(100);
      if (!aStoppedAt && !census.running.has('a')) aStoppedAt = clock.now();
      if (census.running.has('b')) bStartedAt = clock.now();
    }
    expect(aStoppedAt, 'a stopped').to.be.greaterThan(0);
    expect(bStartedAt).to.be.greaterThan(aStoppedAt);
    expect(bStartedAt - brokeAt).to.be.at.most(TTL + 200);
    const lost = (await logs.lines())
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .filter((l) => l.msg.startsWith('lost the lease'));
    expect(
      lost.map((l) => l.level),
      'a lease lost to a broken database is a warning',
    ).to.deep.equal(['warn']);
    expect(census.maxTogether).to.equal(1);
  });

  it('a service that fails to start gives the lease back to a healthy peer', async () => {
    const census = new Census();
    instance('bad', census, { failStart: true });
    await settle(200);
    instance('good', census);
    await settle(1_000);
    expect([...census.running]).to.deep.equal(['good']);
  });
});
