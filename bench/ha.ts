/**
 * npm run bench:ha — dozvon on PostgreSQL (DOZVON_TEST_PG_URL, see scripts/ci-postgres.sh),
 * one instance versus two, against a fake Asterisk in this process:
 *  - make_call throughput (requests answered 200 per second, sent in parallel bursts),
 *  - claims per second (pages taken off the queue by the engines),
 *  - failover: kill -9 of the instance carrying a call, until another instance rings again.
 * The voice lease is 120 s and not configurable yet; the failover figure is measured from
 * the moment that lease ends (forced here) and the lease length is printed beside it.
 */
import { startCluster, until, HaCluster } from '../test/e2e/ha/cluster';
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

async function failover(): Promise<number> {
  const c = await startCluster({ instances: 2, users: USERS.slice(0, 1), timeScale: 0.05 });
  try {
    const phone = c.asterisk.phone(USERS[0].phone).willAnswerAfter(0); // answers, stays on the line
    if ((await c.makeCall(c.instances[0], USERS[0].email, 'failover')) !== 200) throw new Error('make_call failed');
    const owner = await until(async () => ((await c.db('attempts').whereNull('ended_at').first()) as { instance: string } | undefined)?.instance, 'call in progress');
    const victim = c.instances.find((i) => i.id === owner)!;
    phone.willPress('1', { afterPlaybackStartMs: 0 });
    await c.kill9(victim);
    await c.db('notifications').where({ lease_owner: victim.id }).update({ lease_expires_at: Date.now() - 1 });
    const t0 = Date.now();
    await until(async () => (await c.db('attempts').whereNot({ instance: victim.id }).first()) !== undefined, 'another instance ringing', 60_000);
    return Date.now() - t0;
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
  console.log(`  failover: kill -9 → another instance rings: lease (120000 ms) + ${fo} ms after it ends`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
