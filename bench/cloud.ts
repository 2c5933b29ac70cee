/**
 * bench:cloud — make_call at 50 concurrent clients against a real `dozvon serve` (SQLite,
 * synchronous=FULL, every 200 committed), and a bare Express handler as the baseline.
 * BENCH_RUNS rounds (default 3) load the baseline and dozvon in turn, so a slower minute of a
 * shared machine weighs on both; prints each round, the medians and the median ratio, then kills
 * dozvon with -9 and checks that every 200 is a stored row.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, fmt, type LoadResult } from './lib/load';
import { spawnServe, runCliProcess, waitExit } from '../test/helpers/spawn';
import { openDb } from '../src/db/knex';
import { FakeAsterisk } from '../test/fakes/asterisk';
import { processCpuMs } from './lib/cpu';
import { Teardown } from './lib/teardown';

type Measured = LoadResult & { cpuUs: number };

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 0.6;
const BODY =
  'email=alice%40example.com&message=You+are+invited+to+check+an+Alert+Group+from+Grafana+OnCall.+Alert+via+Prod+-+Formatted+webhook+with+title+High+CPU+triggered+3+times';

async function startBaseline(): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'baseline-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /127\.0\.0\.1:(\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { port, pid: child.pid!, stop: async () => void (child.kill('SIGKILL'), await waitExit(child)) };
}

/**
 * Whatever happens, the servers it started are stopped: a load that failed left dozvon serve
 * running after the bench had reported, and its engine kept a core busy for half an hour.
 */
async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dozvon-bench-'));
  const stops = new Teardown();
  try {
    await measure(dir, stops);
  } finally {
    await stops.run();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(dir: string, stops: Teardown) {
  const dbFile = join(dir, 'bench.sqlite');
  // A real serve dispatches while it accepts: the phone rings (30 s) as a real one would, so the
  // engine works at its natural pace beside the intake instead of failing every page at once.
  const asterisk = stops.add(await FakeAsterisk.start({ timeScale: 1 }), (a) => a.close());
  asterisk.phone('+15550001111').willRingOut();
  const env = {
    DOZVON_ARI_URL: asterisk.url,
    DOZVON_ARI_USER: asterisk.user,
    DOZVON_ARI_PASSWORD: asterisk.password,
    DOZVON_DB: `sqlite:${dbFile}`,
    DOZVON_CLOUD_TOKENS: 'bench-cloud-token-0123456789',
    DOZVON_DAILY_LIMIT_CALLS: '0',
    DOZVON_TTS: 'none',
    DOZVON_SQLITE_SYNC: process.env.BENCH_SQLITE_SYNC ?? 'FULL',
  };
  await runCliProcess(['users', 'add', '--email', 'alice@example.com', '--name', 'Alice', '--phone', '+15550001111', '--create'], env);
  const headers = { authorization: 'bench-cloud-token-0123456789', 'content-type': 'application/x-www-form-urlencoded' };

  const base = stops.add(await startBaseline(), (b) => b.stop());
  const served = stops.add(await spawnServe(env), (s) => void s.child.kill('SIGKILL'));
  // The server's own CPU per answer beside the rate: the load client shares the two cores, so
  // req/s swings with what else runs, while CPU per request is the server's cost alone.
  const load = async (port: number, total: number, pid: number) => {
    const cpu0 = processCpuMs(pid);
    const r = await runLoad({ port, path: '/api/v1/make_call', body: BODY, headers, total, concurrency: CONCURRENCY });
    return { ...r, cpuUs: ((processCpuMs(pid) - cpu0) * 1000) / total };
  };
  const servedPid = served.child.pid!;
  await load(base.port, 500, base.pid); // warm-up
  await load(served.port, 300, servedPid); // warm-up (stored too)
  const rounds: { baseline: Measured; dozvon: Measured }[] = [];
  for (let r = 0; r < RUNS; r++)
    rounds.push({ baseline: await load(base.port, TOTAL, base.pid), dozvon: await load(served.port, TOTAL, servedPid) });
  await base.stop();
  served.child.kill('SIGKILL');
  await waitExit(served.child);

  const db = openDb({ client: 'sqlite', filename: dbFile });
  const stored = Number(
    ((await db('notifications').where({ kind: 'call', source: 'oncall-cloud' }).count({ n: '*' })) as { n: number }[])[0].n,
  );
  await db.destroy();

  console.log(
    `bench:cloud  ${TOTAL} make_call requests per round, ${RUNS} rounds, ${CONCURRENCY} concurrent clients, loopback, SQLite synchronous=${env.DOZVON_SQLITE_SYNC}, engines dispatching to a fake Asterisk`,
  );
  rounds.forEach((r, i) => {
    console.log(`round ${i + 1} baseline (bare Express {}): ${fmt(r.baseline)}   CPU ${r.baseline.cpuUs.toFixed(0)} µs/request`);
    console.log(
      `round ${i + 1} dozvon serve (durable):     ${fmt(r.dozvon)}   CPU ${r.dozvon.cpuUs.toFixed(0)} µs/request   ratio ${(r.dozvon.rps / r.baseline.rps).toFixed(2)}`,
    );
  });
  const ratio = median(rounds.map((r) => r.dozvon.rps / r.baseline.rps));
  console.log(
    `median baseline ${median(rounds.map((r) => r.baseline.rps)).toFixed(0)} req/s, dozvon ${median(rounds.map((r) => r.dozvon.rps)).toFixed(0)} req/s`,
  );
  console.log(
    `throughput ratio dozvon/baseline (median of rounds): ${ratio.toFixed(2)}   (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
  const cpu = (k: 'baseline' | 'dozvon') => median(rounds.map((r) => r[k].cpuUs));
  console.log(
    `server CPU per request (median of rounds): baseline ${cpu('baseline').toFixed(0)} µs, dozvon ${cpu('dozvon').toFixed(0)} µs (all threads; ratio ${(cpu('baseline') / cpu('dozvon')).toFixed(2)})`,
  );
  const p99 = median(rounds.map((r) => r.dozvon.p99));
  console.log(`dozvon p99 (median of rounds): ${p99.toFixed(2)} ms`);
  const ok = rounds.reduce((n, r) => n + r.dozvon.ok, 0);
  const expected = ok + 300; // warm-up requests are stored too
  console.log(
    `durability: ${stored} make_call rows stored after kill -9 for ${expected} answers of 200 → ${stored === expected ? 'every 200 is durable' : 'MISMATCH'}`,
  );
  if (stored !== expected) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
