/**
 * Three dozvon processes on one PostgreSQL and one fake Asterisk, with short leases (page
 * lease 5 s, cluster lease 3 s): a storm of make_call requests spread over them, and kill -9
 * of the instance that holds the heartbeat lease while it has calls in progress and just as
 * a heartbeat is about to expire. Then the ledger: every page delivered exactly once or
 * recorded as failed, nobody rung twice at the same time, the interrupted calls finished by
 * a surviving instance only after the dead one's lease ran out, and the heartbeat paged once.
 */
import { expect } from 'chai';
import { requirePg } from '../../helpers/pg';
import { runCliProcess } from '../../helpers/spawn';
import { startCluster, until, HaCluster, Instance } from './cluster';

const USERS = Array.from({ length: 8 }, (_, i) => ({ email: `eng${i}@example.com`, phone: `+1555010${String(i).padStart(4, '0')}` }));
/** Paged by the heartbeat only: the storm never calls this phone. */
const OPS = { email: 'ops@example.com', phone: '+15550109999' };
const HB_KEY = 'hb-key-0123456789abcdef';
const HB = 'nightly-backup';
const PAGE_LEASE_MS = 5_000;
const CLUSTER_LEASE_MS = 3_000;

interface AttemptRow {
  notification_id: number;
  call_id: string | null;
  instance: string | null;
  started_at: string | number;
  ended_at: string | number | null;
  outcome: string | null;
  digits: string | null;
  user_id: number;
}

async function count(q: PromiseLike<unknown>): Promise<number> {
  return Number(((await q) as { n: string | number }[])[0].n);
}

describe('HA: several instances on one PostgreSQL survive kill -9', function () {
  this.timeout(120_000);
  let c: HaCluster;

  before(async function () {
    await requirePg(this);
  });
  after(async () => {
    await c?.close();
  });

  it('delivers every page exactly once or records it as failed; orphaned calls are taken over; an expiring heartbeat is paged once', async () => {
    c = await startCluster({
      instances: 3,
      users: [...USERS, OPS],
      timeScale: 0.2,
      // Two calls at a time per instance: eight people cannot all be taken by the two instances
      // that won the first claims, so the lease holder is sure to have calls of its own to lose.
      env: {
        DOZVON_LEASE_MS: String(PAGE_LEASE_MS),
        DOZVON_CLUSTER_LEASE_MS: String(CLUSTER_LEASE_MS),
        DOZVON_HEARTBEAT_KEYS: HB_KEY,
        DOZVON_MAX_CALLS: '2',
      },
    });
    // Answer after 5 s of ringing, press 1 five seconds into the prompt (Asterisk time, ×0.2):
    // a call lasts about 2 s, long enough to be seen in progress on a loaded machine.
    for (const u of [...USERS, OPS]) c.asterisk.phone(u.phone).willAnswerAfter(5000).willPress('1', { afterPlaybackStartMs: 5000 });
    // Every 1 s, 1 s grace: pinged just before the kill, it expires while nobody holds the lease.
    const added = await runCliProcess(['heartbeats', 'add', HB, '--every', '1s', '--grace', '1s', '--page', OPS.email], {
      DOZVON_DB: c.url,
    });
    expect(added.code, added.stderr).to.equal(0);
    const holderId = await until(
      async () => ((await c.db('leases').where({ name: 'watcher:heartbeats' }).first()) as { holder: string } | undefined)?.holder,
      'a heartbeat lease holder',
    );
    const victim = c.instances.find((i) => i.id === holderId)!;
    expect(victim, `lease holder ${holderId} is one of ours`).to.not.equal(undefined);
    const survivor = c.instances.find((i) => i !== victim)!;

    // The storm: 3 pages per person, sent round-robin to the three instances, in parallel.
    const sends: Promise<number>[] = [];
    for (let k = 0; k < 3; k++)
      for (const [i, u] of USERS.entries()) sends.push(c.makeCall(c.instances[(i + k) % 3], u.email, `incident ${k} for ${u.email}`));
    const statuses = await Promise.all(sends);
    expect(
      statuses.every((s) => s === 200),
      `statuses ${statuses}`,
    ).to.equal(true);
    const total = USERS.length * 3;

    // Kill the heartbeat lease holder once it has calls under way, right after a ping taken elsewhere.
    await until(
      async () => (await count(c.db('attempts').whereNull('ended_at').where({ instance: victim.id }).count({ n: '*' }))) > 0,
      'calls in progress on the lease holder',
      20_000,
    );
    expect(await ping(survivor)).to.equal(200);
    const killedAt = await c.kill9(victim);
    const orphaned = (await c.db('notifications').where({ state: 'active', lease_owner: victim.id }).select('id', 'lease_expires_at')) as {
      id: number;
      lease_expires_at: string;
    }[];
    expect(orphaned.length, 'pages leased by the killed instance').to.be.greaterThan(0);
    for (const o of orphaned) expect(Number(o.lease_expires_at) - killedAt, 'a short page lease').to.be.at.most(PAGE_LEASE_MS);

    await until(
      async () =>
        (await count(c.db('notifications').whereIn('state', ['pending', 'active']).count({ n: '*' }))) === 0 &&
        (await heartbeatPages()).length > 0,
      'every page finished',
      60_000,
    );
    // Let the dust settle: every survivor has rescanned the heartbeats and renewed its leases since.
    await new Promise((r) => setTimeout(r, CLUSTER_LEASE_MS));
    await until(
      async () => (await count(c.db('notifications').whereIn('state', ['pending', 'active']).count({ n: '*' }))) === 0,
      'nothing left in flight',
      20_000,
    );

    // The heartbeat: down, paged exactly once (one page, one call) by a survivor.
    const hb = (await c.db('heartbeats').where({ name: HB }).first()) as { state: string };
    expect(hb.state).to.equal('down');
    const hbPages = await heartbeatPages();
    expect(
      hbPages.map((p) => p.state),
      'heartbeat pages',
    ).to.deep.equal(['delivered']);
    expect(c.asterisk.phone(OPS.phone).calls, 'calls to the heartbeat owner').to.have.length(1);
    const hbAttempts = (await c.db('attempts').where({ notification_id: hbPages[0].id }).select('instance')) as { instance: string }[];
    expect(hbAttempts.map((a) => a.instance === victim.id)).to.deep.equal([false]);
    // Paged after the handover (dead instance's cluster lease, at most 3 s) and not a grace period later.
    expect(Number(hbPages[0].received_at) - killedAt, 'kill → heartbeat page').to.be.at.most(CLUSTER_LEASE_MS + 1_500);

    const rows = (await c.db('notifications').whereNot({ source: 'heartbeat' }).select('id', 'state', 'user_id', 'lease_owner')) as {
      id: number;
      state: string;
    }[];
    expect(rows).to.have.length(total);
    expect(
      rows.filter((r) => r.state !== 'delivered' && r.state !== 'failed'),
      'only delivered or failed',
    ).to.deep.equal([]);

    const attempts = (await c
      .db('attempts as a')
      .join('notifications as n', 'n.id', 'a.notification_id')
      .select('a.*', 'n.user_id')) as AttemptRow[];
    // Delivered exactly once: one attempt with a digit per delivered page, none for a failed one.
    for (const r of rows) {
      const withDigit = attempts.filter((a) => a.notification_id === r.id && a.digits);
      expect(withDigit.length, `page ${r.id} (${r.state})`).to.equal(r.state === 'delivered' ? 1 : 0);
    }
    // Nobody is rung by two calls at once, whichever instances placed them.
    const calls = new Map<string, { user: number; from: number; to: number; instance: string | null }>();
    for (const a of attempts) {
      if (!a.call_id) continue;
      calls.set(a.call_id, {
        user: a.user_id,
        from: Number(a.started_at),
        to: a.ended_at === null ? Infinity : Number(a.ended_at),
        instance: a.instance,
      });
    }
    const list = [...calls.values()];
    for (const x of list)
      for (const y of list)
        if (x !== y && x.user === y.user)
          expect(x.to <= y.from || y.to <= x.from, `overlapping calls to one person: ${JSON.stringify([x, y])}`).to.equal(true);
    // The killed instance's calls are on record as interrupted and were finished elsewhere.
    const interrupted = attempts.filter((a) => a.outcome === 'interrupted');
    expect(interrupted.length).to.be.greaterThan(0);
    expect(new Set(interrupted.map((a) => a.instance))).to.deep.equal(new Set([victim.id]));
    for (const o of orphaned) {
      const later = attempts.filter((a) => a.notification_id === o.id && a.digits);
      expect(
        later.map((a) => a.instance === victim.id),
        `page ${o.id} finished by a survivor`,
      ).to.deep.equal([false]);
      // Nobody touched it while the dead instance's lease ran.
      for (const a of attempts.filter((x) => x.notification_id === o.id && x.instance !== victim.id))
        expect(Number(a.started_at), `page ${o.id} retried after its lease`).to.be.at.least(Number(o.lease_expires_at));
    }
    // Bundling held across instances: far fewer calls than pages.
    expect(calls.size).to.be.lessThan(total + interrupted.length);
  });

  async function ping(i: Instance): Promise<number> {
    const r = await fetch(`http://127.0.0.1:${i.served.port}/ping/${HB_KEY}/${HB}`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
    return r.status;
  }

  function heartbeatPages(): Promise<Array<{ id: number; state: string; received_at: string }>> {
    return c
      .db('notifications')
      .where({ source: 'heartbeat' })
      .andWhere('message', 'like', `%${HB}%`)
      .orderBy('id')
      .select('id', 'state', 'received_at');
  }
});
