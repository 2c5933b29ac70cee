/**
 * npm run bench:ha — dozvon on PostgreSQL (DOZVON_TEST_PG_URL, see scripts/ci-postgres.sh),
 * one instance versus two, against a fake Asterisk in this process:
 *  - make_call throughput (requests answered 200 per second, sent in parallel bursts),
 *  - claims per second (pages taken off the queue by the engines),
 *  - failover, on the short leases an HA deployment would use (DOZVON_LEASE_MS=5000,
 *    DOZVON_CLUSTER_LEASE_MS=3000), measured from the kill with nothing forced: kill -9 of
 *    the instance carrying a call until another instance rings that orphaned page, and kill
 *    -9 of the heartbeat lease holder until another instance holds the lease.
 */
import { startCluster, until, HaCluster, Instance } from '../test/e2e/ha/cluster';
import { pgUnavailable } from '../test/helpers/pg';

const PAGES = Number(process.env.BENCH_PAGES ?? 400);
const USERS = Array.from({ length: 100 }, (_, i) => ({ email: `b${i}@example.com`, phone: `+1555020${String(i).padStart(4, '0')}` }));

/** Pages still waiting for their first claim. */
async function waiting(c: HaCluster): Promise<number> {
  const r = (await c.db('notifications').where({ state: 'pending', attempts: 0 }).count({ n: '*' })) as { n: string }[];
  return Number(r[0].n);
}

async function throughput(instances: number): Promise<{ makeCall: number; claims: number }> {
  const c = await startCluster({ instances, users: USERS, timeScale: 0.02 });
  try {
    for (const u of USERS) c.asterisk.phone(u.phone).willAnswerAfter(0).willPress('1', { afterPlaybackStartMs: 0 });
    const t0 = Date.now();
    const sends: Promise<number>[] = [];
    for (let i = 0; i < PAGES; i++) sends.push(c.makeCall(c.instances[i % instances], USERS[i % USERS.length].email, `bench ${i}`));
    const statuses = await Promise.all(sends);
    const t1 = Date.now();
    if (statuses.some((s) => s !== 200)) throw new Error(`make_call failed: ${statuses.filter((s) => s !== 200).length}`);
    await until(async () => (await waiting(c)) === 0, 'every page claimed', 120_000);
    const claimedAt = Date.now();
    return { makeCall: PAGES / ((t1 - t0) / 1000), claims: PAGES / ((claimedAt - t0) / 1000) };
  } finally {
    await c.close();
  }
}

const PAGE_LEASE_MS = 5_000;
const CLUSTER_LEASE_MS = 3_000;

async function leaseHolder(c: HaCluster): Promise<Instance | undefined> {
  const row = (await c.db('leases').where({ name: 'watcher:heartbeats' }).first()) as { holder: string; expires_at: string } | undefined;
  return row && Number(row.expires_at) > Date.now() ? c.instances.find((i) => i.id === row.holder && !i.killed) : undefined;
}

/** kill -9 of the lease holder → a survivor holds the heartbeat lease (ms). */
async function watcherTakeover(c: HaCluster, victim: Instance, killedAt: number): Promise<number> {
  await until(async () => {
    const h = await leaseHolder(c);
    return h !== undefined && h !== victim;
  }, 'another instance holding the heartbeat lease', 30_000);
  return Date.now() - killedAt;
}

async function failover(): Promise<{ pageMs: number; watcherMs: number }> {
  const c = await startCluster({ instances: 3, users: USERS.slice(0, 1), timeScale: 0.05, env: { DOZVON_LEASE_MS: String(PAGE_LEASE_MS), DOZVON_CLUSTER_LEASE_MS: String(CLUSTER_LEASE_MS) } });
  try {
    const phone = c.asterisk.phone(USERS[0].phone).willAnswerAfter(0); // answers, stays on the line
    if ((await c.makeCall(c.instances[0], USERS[0].email, 'failover')) !== 200) throw new Error('make_call failed');
    const call = await until(async () => (await c.db('attempts').whereNull('ended_at').first()) as { instance: string; notification_id: number } | undefined, 'call in progress');
    const victim = c.instances.find((i) => i.id === call.instance)!;
    const holder = await until(() => leaseHolder(c), 'a heartbeat lease holder');
    phone.willPress('1', { afterPlaybackStartMs: 0 });
    const killedAt = await c.kill9(victim);
    const watcher = holder === victim ? watcherTakeover(c, victim, killedAt) : null;
    await until(async () => (await c.db('attempts').where({ notification_id: call.notification_id }).whereNot({ instance: victim.id }).first()) !== undefined, 'another instance ringing the orphaned page', 60_000);
    const pageMs = Date.now() - killedAt;
    // The carrier did not hold the watcher lease: kill the holder too (a survivor remains).
    const watcherMs = watcher ? await watcher : await c.kill9(holder).then((t) => watcherTakeover(c, holder, t));
    return { pageMs, watcherMs };
  } finally {
    await c.close();
  }
}

async function main(): Promise<void> {
  const why = await pgUnavailable();
  if (why) throw new Error(why);
  const one = await throughput(1);
  const two = await throughput(2);
  const fo = await failover();
  const f = (n: number) => n.toFixed(0).padStart(8);
  console.log(`bench:ha  (${PAGES} make_call requests over ${USERS.length} people, PostgreSQL, fake Asterisk)`);
  console.log(`                      make_call/s   claims/s`);
  console.log(`  one instance        ${f(one.makeCall)}   ${f(one.claims)}`);
  console.log(`  two instances       ${f(two.makeCall)}   ${f(two.claims)}`);
  console.log(`  failover: kill -9 → another instance rings the orphaned page: ${fo.pageMs} ms (DOZVON_LEASE_MS=${PAGE_LEASE_MS})`);
  console.log(`  failover: kill -9 → another instance runs the heartbeat watcher: ${fo.watcherMs} ms (DOZVON_CLUSTER_LEASE_MS=${CLUSTER_LEASE_MS})`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
