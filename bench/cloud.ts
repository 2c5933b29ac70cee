/**
 * bench:cloud — make_call at 50 concurrent clients against a real `dozvon serve` (SQLite,
 * synchronous=FULL, every 200 committed), and a bare Express handler as the baseline.
 * Prints requests/s, p50/p99 and the ratio; then checks that every 200 is a stored row.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, fmt } from './lib/load';
import { spawnServe, runCliProcess, waitExit } from '../test/helpers/spawn';
import { openDb } from '../src/db/knex';
import { FakeAsterisk } from '../test/fakes/asterisk';

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BODY =
  'email=alice%40example.com&message=You+are+invited+to+check+an+Alert+Group+from+Grafana+OnCall.+Alert+via+Prod+-+Formatted+webhook+with+title+High+CPU+triggered+3+times';

async function startBaseline(): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'baseline-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /127\.0\.0\.1:(\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { port, stop: async () => void (child.kill('SIGKILL'), await waitExit(child)) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dozvon-bench-'));
  const dbFile = join(dir, 'bench.sqlite');
  // A real serve dispatches while it accepts: the phone rings (30 s) as a real one would, so the
  // engine works at its natural pace beside the intake instead of failing every page at once.
  const asterisk = await FakeAsterisk.start({ timeScale: 1 });
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

  const base = await startBaseline();
  await runLoad({ port: base.port, path: '/api/v1/make_call', body: BODY, headers, total: 500, concurrency: CONCURRENCY }); // warm-up
  const baseline = await runLoad({
    port: base.port,
    path: '/api/v1/make_call',
    body: BODY,
    headers,
    total: TOTAL,
    concurrency: CONCURRENCY,
  });
  await base.stop();

  const served = await spawnServe(env);
  await runLoad({ port: served.port, path: '/api/v1/make_call', body: BODY, headers, total: 300, concurrency: CONCURRENCY }); // warm-up
  const dozvon = await runLoad({
    port: served.port,
    path: '/api/v1/make_call',
    body: BODY,
    headers,
    total: TOTAL,
    concurrency: CONCURRENCY,
  });
  served.child.kill('SIGKILL');
  await waitExit(served.child);

  const db = openDb({ client: 'sqlite', filename: dbFile });
  const stored = Number(
    ((await db('notifications').where({ kind: 'call', source: 'oncall-cloud' }).count({ n: '*' })) as { n: number }[])[0].n,
  );
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  await asterisk.close();

  console.log(
    `bench:cloud  ${TOTAL} make_call requests, ${CONCURRENCY} concurrent clients, loopback, SQLite synchronous=${env.DOZVON_SQLITE_SYNC}, engines dispatching to a fake Asterisk`,
  );
  console.log(`baseline (bare Express {}): ${fmt(baseline)}`);
  console.log(`dozvon serve (durable):     ${fmt(dozvon)}`);
  console.log(`throughput ratio dozvon/baseline: ${(dozvon.rps / baseline.rps).toFixed(2)}   (target ≥ 0.33)`);
  console.log(`p99 target < 10 ms: ${dozvon.p99 < 10 ? 'met' : 'NOT met'} (${dozvon.p99.toFixed(2)} ms)`);
  const expected = dozvon.ok + 300; // warm-up requests are stored too
  console.log(
    `durability: ${stored} make_call rows stored after kill -9 for ${expected} answers of 200 → ${stored === expected ? 'every 200 is durable' : 'MISMATCH'}`,
  );
  if (stored !== expected) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
