/** What the fake and the real burst runs share: the dozvon under test, the burst itself, the figures. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServe, runCliProcess, waitExit, Served } from '../../test/helpers/spawn';
import { FakeGoogleTts } from '../../test/fakes/google-tts';
import { freePort } from '../../test/real/asterisk/process';
import { makePgDatabase } from '../../test/helpers/pg';
import { processCpuMs } from './cpu';
import { within } from './deadline';
import { Teardown } from './teardown';

export const TOKEN = 'bench-voice-burst-token-0123456789';
export const ONCALL_MS = Number(process.env.BENCH_ONCALL_MS ?? 0);
export const RUNS = Number(process.env.BENCH_RUNS ?? 1);
export const RATE = Number(process.env.DOZVON_ORIGINATES_PER_SECOND ?? 1000);
/**
 * A server in service has placed calls before: one page goes through first, then the burst.
 * BENCH_COLD=1 sends the burst into a server that just started (modules still loading lazily,
 * the audio thread and the decoder not yet made).
 */
export const WARM = !process.env.BENCH_COLD;

export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
export const median = (xs: number[]) => pct(xs, 50);
export const fmt = (xs: number[]) =>
  xs.length
    ? `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`
    : 'no samples';

export interface BurstResult {
  /** From each page's 200. */
  originate: number[];
  /**
   * From the moment the burst was sent: what OnCall sees end to end. Timed from the 200 alone, a
   * server that answered later would look faster; this one it cannot flatter.
   */
  sent: number[];
  invite: number[];
  audio: number[];
  /** When the last 200 came back, from the first request (ms). */
  accepted: number;
  /** CPU ms dozvon spent from the first request to the last originate: less at the mercy of a loaded machine than wall time. */
  cpuMs: number;
}

export interface Options {
  n: number;
  real: boolean;
  pg: boolean;
  espeak: boolean;
  /** The same burst from a bare client straight to the real Asterisk: the floor dozvon's figure stands on. */
  floor: boolean;
}

export interface Person {
  email: string;
  phone: string;
}

/** Starts dozvon for N people (and one more for the warm-up) on a fresh database. */
export async function startDozvon(o: Options, dir: string, ari: Record<string, string>, oncallUrl: string) {
  const everyone: Person[] = Array.from({ length: o.n + 1 }, (_, i) => ({
    email: `eng${i}@example.com`,
    phone: `+1555400${String(1000 + i)}`,
  }));
  writeFileSync(
    path.join(dir, 'team.yaml'),
    everyone.map((p, i) => `- {email: ${p.email}, name: "Engineer ${i}", phone: "${p.phone}"}`).join('\n'),
  );
  const stops = new Teardown();
  try {
    const pg = o.pg ? stops.add(await makePgDatabase(), (db) => db.drop()) : null;
    const google = o.espeak ? null : stops.add(await new FakeGoogleTts().start(), (g) => g.stop());
    const env: Record<string, string> = {
      DOZVON_DB: pg ? pg.url : `sqlite:${path.join(dir, 'd.sqlite')}`,
      DOZVON_CLOUD_TOKENS: TOKEN,
      ...ari,
      DOZVON_ONCALL_URL: oncallUrl,
      DOZVON_ONCALL_TOKEN: 'svc-token',
      DOZVON_TTS: o.espeak ? 'espeak' : 'google',
      ...(google ? { DOZVON_TTS_GOOGLE_HOST: google.url } : {}),
      DOZVON_TTS_DIR: path.join(dir, 'tts'),
      DOZVON_MAX_CALLS: String(Math.max(20, 2 * o.n)),
      DOZVON_ORIGINATES_PER_SECOND: String(RATE),
      DOZVON_DAILY_LIMIT_CALLS: '0',
      DOZVON_LOG_LEVEL: 'info',
    };
    const imported = await runCliProcess(['users', 'import', path.join(dir, 'team.yaml'), '--create'], env);
    if (imported.code !== 0) throw new Error(imported.stderr);
    // A loaded machine starts `serve` slowly (espeak's self-check, migrations on PostgreSQL).
    const served = stops.add(await spawnServe({ ...env, DOZVON_LISTEN: `127.0.0.1:${await freePort()}` }, 120_000), stopServe);
    return {
      people: everyone.slice(0, o.n),
      warm: everyone[o.n],
      base: `http://127.0.0.1:${served.port}`,
      cpuMs: () => processCpuMs(served.child.pid!),
      stop: () => stops.run(),
    };
  } catch (e) {
    await stops.run();
    throw e;
  }
}

/**
 * SIGTERM, as an operator stops it. A serve that does not exit is a defect of its own: killed,
 * its log kept for the reader, and the run fails saying so. A slow exit is said, not failed:
 * now and then serve takes 30 s, the closing handshake of its ARI event socket going unanswered
 * until the ws library gives up on it.
 */
async function stopServe(served: Served): Promise<void> {
  // BENCH_LOG=file keeps dozvon's own log of the run: where the milliseconds went.
  if (process.env.BENCH_LOG) writeFileSync(process.env.BENCH_LOG, served.output());
  served.child.kill('SIGTERM');
  const t0 = Date.now();
  try {
    await within(60_000, 'dozvon serve to exit after SIGTERM', waitExit(served.child));
    const took = Date.now() - t0;
    if (took > 5000) process.stderr.write(`dozvon serve took ${took} ms to exit after SIGTERM\n`);
  } catch (e) {
    served.child.kill('SIGKILL');
    await waitExit(served.child);
    const log = path.join(tmpdir(), `dozvon-bench-serve-${served.child.pid}.log`);
    writeFileSync(log, served.output());
    throw new Error(`${(e as Error).message}; killed it, its log is in ${log}`);
  }
}

/** Sends every page at once; returns when each 200 came back (ms since the epoch, by person). */
export async function burst(base: string, people: { email: string }[], message: (i: number) => string): Promise<number[]> {
  return Promise.all(
    people.map(async (p, i) => {
      const r = await fetch(`${base}/api/v1/make_call`, {
        method: 'POST',
        headers: { authorization: TOKEN, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(p.email)}&message=${encodeURIComponent(message(i))}`,
        signal: AbortSignal.timeout(30_000),
      });
      const at = Date.now();
      if (r.status !== 200) throw new Error(`make_call ${r.status} ${await r.text()}`);
      return at;
    }),
  );
}

/** Waits until dozvon has finished its work (startup self-checks, prompt rendering, a call's wind-up): CPU idle for half a second. */
export async function settle(cpuMs: () => number, what: string, maxMs = 60_000): Promise<void> {
  const end = Date.now() + maxMs;
  for (;;) {
    const a = cpuMs();
    await new Promise((r) => setTimeout(r, 500));
    const used = cpuMs() - a;
    if (used <= 20) return;
    if (Date.now() > end)
      throw new Error(`timed out after ${maxMs} ms waiting for dozvon to go idle ${what} (still ${used} ms CPU per 500 ms)`);
  }
}
