/**
 * bench:voice — a real `dozvon serve` child process against the fake Asterisk (in this
 * process, real ari-client over loopback) and the fake Google TTS host.
 *  1. dispatch: 500 make_call requests one after another (speech cached after the first):
 *     time from make_call's 200 to the originate request reaching Asterisk, p50/p99.
 *  2. load: 50 simultaneous calls through the whole menu (answer, summary, press 1);
 *     dozvon's event-loop delay p99 read from its own /metrics.
 * BENCH_ONCALL_MS / BENCH_TTS_MS make OnCall (then configured) and the TTS host answer late: with
 * ring first, dispatch must not notice.
 * `npm run bench:voice -- --real` measures ring and first-audio times on a real Asterisk instead
 * (bench/voice-real.ts); `-- --burst N` sends N pages for N people at once (bench/voice-burst.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServe, runCliProcess, waitExit } from '../test/helpers/spawn';
import { FakeAsterisk } from '../test/fakes/asterisk';
import { FakeGoogleTts } from '../test/fakes/google-tts';
import { FakeOnCall } from '../test/fakes/oncall';
import { freePort } from '../test/real/asterisk/process';

const SEQUENTIAL = Number(process.env.BENCH_CALLS ?? (process.env.BENCH_ONCALL_MS || process.env.BENCH_TTS_MS ? 50 : 500));
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 50);
const MESSAGE =
  'You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title High CPU on db-01.prod.example.com triggered 3 times';

/** Ring first, measured: OnCall's public API and the TTS host answer this late (0: no OnCall at all). */
const ONCALL_MS = Number(process.env.BENCH_ONCALL_MS ?? 0);
const TTS_MS = Number(process.env.BENCH_TTS_MS ?? 0);

/** The ring-first target holds with slow OnCall and TTS; the first wave's 50 ms without them. */
const TARGET_MS = ONCALL_MS || TTS_MS ? 100 : 50;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dozvon-bench-voice-'));
  const asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
  const google = await new FakeGoogleTts().start();
  const oncall = ONCALL_MS > 0 ? await FakeOnCall.start() : null;
  oncall?.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
  const people = Array.from({ length: Math.max(SEQUENTIAL, PARALLEL) }, (_, i) => ({
    email: `eng${i}@example.com`,
    name: `Engineer ${i}`,
    phone: `+1555${String(2000000 + i)}`,
  }));
  writeFileSync(join(dir, 'team.yaml'), people.map((p) => `- {email: ${p.email}, name: "${p.name}", phone: "${p.phone}"}`).join('\n'));
  const env = {
    DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`,
    DOZVON_CLOUD_TOKENS: 'bench-voice-token-0123456789',
    DOZVON_ARI_URL: asterisk.url,
    DOZVON_ARI_USER: asterisk.user,
    DOZVON_ARI_PASSWORD: asterisk.password,
    DOZVON_TTS: 'google',
    DOZVON_TTS_GOOGLE_HOST: google.url,
    DOZVON_TTS_DIR: join(dir, 'tts'),
    DOZVON_MAX_CALLS: String(PARALLEL),
    DOZVON_ORIGINATES_PER_SECOND: '200',
    DOZVON_DAILY_LIMIT_CALLS: '0',
    DOZVON_LOG_LEVEL: 'info',
    ...(process.env.DOZVON_SQLITE_SYNC ? { DOZVON_SQLITE_SYNC: process.env.DOZVON_SQLITE_SYNC } : {}),
    ...(oncall ? { DOZVON_ONCALL_URL: oncall.url, DOZVON_ONCALL_TOKEN: 'svc-token' } : {}),
  };
  const imported = await runCliProcess(['users', 'import', join(dir, 'team.yaml'), '--create'], env);
  if (imported.code !== 0) throw new Error(imported.stderr);
  for (const p of people) asterisk.phone(p.phone).willAnswerAfter(100).willPress('1', { afterPlaybackStartMs: 200 });
  // A real port: the speech's media URLs are built from the listen address (port 0 would give :0).
  const served = await spawnServe({ ...env, DOZVON_LISTEN: `127.0.0.1:${await freePort()}` }, 30_000);
  const base = `http://127.0.0.1:${served.port}`;
  oncall?.setDelay(ONCALL_MS);
  google.latencyMs = TTS_MS;
  const originates = () => asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
  const makeCall = (email: string) =>
    fetch(`${base}/api/v1/make_call`, {
      method: 'POST',
      headers: { authorization: 'bench-voice-token-0123456789', 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${encodeURIComponent(email)}&message=${encodeURIComponent(MESSAGE)}`,
    });
  const waitFor = async (cond: () => boolean, what: string, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setImmediate(r));
    }
  };
  try {
    // Phase 1: dispatch latency, one call at a time so nothing queues behind another.
    const dispatch: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const before = originates().length;
      const r = await makeCall(people[i].email);
      const answeredAt = Date.now();
      if (r.status !== 200) throw new Error(`make_call ${r.status}`);
      await waitFor(() => originates().length > before, `originate ${i}`);
      dispatch.push(originates()[before].at - answeredAt);
      if (process.env.BENCH_TRACE) process.stderr.write(`${i}:${dispatch[i]} `);
      // With slow preparation a call lasts seconds: let it end first, or the pages queue behind
      // DOZVON_MAX_CALLS and the database and the figure is no longer make_call → originate.
      if (ONCALL_MS || TTS_MS)
        await waitFor(() => asterisk.events.filter((e) => e.event.type === 'StasisEnd').length > i, `call ${i} to end`, 30_000);
    }
    await waitFor(() => asterisk.events.filter((e) => e.event.type === 'StasisEnd').length >= SEQUENTIAL, 'phase 1 calls to end', 60_000);
    await fetch(`${base}/metrics`); // reset the event-loop window
    // Phase 2: 50 calls at once through the whole menu.
    const endsBefore = asterisk.events.filter((e) => e.event.type === 'StasisEnd').length;
    const t0 = Date.now();
    await Promise.all(people.slice(0, PARALLEL).map((p) => makeCall(p.email)));
    await waitFor(
      () => asterisk.events.filter((e) => e.event.type === 'StasisEnd').length >= endsBefore + PARALLEL,
      'phase 2 calls to end',
      60_000,
    );
    const phase2 = Date.now() - t0;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const loop = (stat: string) =>
      Number(new RegExp(`^dozvon_event_loop_delay_seconds\\{stat="${stat}"\\} ([0-9.e+-]+)`, 'm').exec(metrics)?.[1] ?? NaN) * 1000;
    const pressed = Number(/^dozvon_digits_pressed_total\{digit="1"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    console.log(
      `bench:voice  dozvon serve (child process) ↔ fake Asterisk over loopback (timeScale 0.01), Google TTS fake${TTS_MS ? ` answering in ${TTS_MS} ms` : ''}, ${oncall ? `fake OnCall answering in ${ONCALL_MS} ms` : 'no OnCall'}, SQLite`,
    );
    console.log(
      `dispatch (make_call 200 → originate at Asterisk), ${SEQUENTIAL} calls: p50 ${pct(dispatch, 50).toFixed(1)} ms  p99 ${pct(dispatch, 99).toFixed(1)} ms  max ${Math.max(...dispatch).toFixed(1)} ms   (target p99 < ${TARGET_MS} ms: ${pct(dispatch, 99) < TARGET_MS ? 'met' : 'NOT met'})`,
    );
    console.log(
      `${PARALLEL} simultaneous calls through the menu: all ended in ${phase2} ms; calls where "1" was pressed (both phases): ${pressed} of ${SEQUENTIAL + PARALLEL}`,
    );
    console.log(
      `event-loop delay during them: p50 ${loop('p50').toFixed(2)} ms  p99 ${loop('p99').toFixed(2)} ms  max ${loop('max').toFixed(2)} ms   (target p99 < 20 ms: ${loop('p99') < 20 ? 'met' : 'NOT met'})`,
    );
    console.log(`Google TTS requests: ${google.requests.length} (speech rendered once, then cached)`);
  } finally {
    served.child.kill('SIGTERM');
    await waitExit(served.child);
    await asterisk.close();
    await oncall?.close();
    await google.stop?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--burst N`: N pages for N people at once (bench/voice-burst.ts); `--real` and `--pg` pick where. */
function burstSize(): number | null {
  const i = process.argv.indexOf('--burst');
  if (i < 0) return null;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--burst needs a number of pages');
  return n;
}

function run(): Promise<void> {
  const n = burstSize();
  const real = process.argv.includes('--real');
  if (n !== null)
    return import('./voice-burst').then((m) =>
      m.benchVoiceBurst({
        n,
        real,
        pg: process.argv.includes('--pg'),
        espeak: process.argv.includes('--espeak'),
        floor: process.argv.includes('--floor'),
      }),
    );
  return real ? import('./voice-real').then((m) => m.benchVoiceReal()) : main();
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
