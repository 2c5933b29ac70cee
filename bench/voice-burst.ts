/**
 * bench:voice --burst N — N pages for N people sent at once (an incident paging a whole team):
 * make_call's 200 → originate and → the INVITE at the phone, per page, matched by the number
 * dialled (never by order), p50/p99/max; on a real Asterisk also answer → first audio.
 *
 *   npm run bench:voice -- --burst 20            fake Asterisk (this process, real ari-client)
 *   npm run bench:voice -- --real --burst 20     the real Asterisk of test/real over SIP
 *   … --pg                                       on PostgreSQL (DOZVON_TEST_PG_URL) instead of SQLite
 *   … --espeak                                   espeak-ng renders the speech instead of the Google fake
 * BENCH_ONCALL_MS (default 0 = answers at once; 2000 = slow) is how late the fake OnCall answers.
 * BENCH_RUNS (default 1) repeats the burst on fresh processes and prints the median of the runs.
 * DOZVON_ORIGINATES_PER_SECOND is lifted to 1000 unless set: the rate limit is a separate bound,
 * stated beside the figures when it is the one that holds the burst back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServe, runCliProcess, waitExit } from '../test/helpers/spawn';
import { FakeAsterisk } from '../test/fakes/asterisk';
import { FakeOnCall } from '../test/fakes/oncall';
import { FakeGoogleTts } from '../test/fakes/google-tts';
import { buildAsterisk, freePort, RealAsterisk } from '../test/real/asterisk/process';
import { TestPhones } from '../test/real/phones';
import { makePgDatabase, pgUnavailable } from '../test/helpers/pg';
import { WebSocket } from 'ws';
import { processCpuMs } from './lib/cpu';
import { sourceTarball } from './lib/asterisk-source';

interface Seen {
  type: string;
  at: number;
  channel?: { id: string };
  peer?: { id: string };
  dialstring?: string;
  playback?: { target_uri: string };
}

/** Every ARI event as it arrives, undeduplicated: several Dial events can share one millisecond. */
async function watchAri(asterisk: RealAsterisk): Promise<{ events: Seen[]; close(): void }> {
  const url = `${asterisk.ariUrl.replace(/^http/, 'ws')}/ari/events?app=bench-burst-watch&subscribeAll=true`;
  const ws = new WebSocket(url, { headers: asterisk.auth() });
  const events: Seen[] = [];
  ws.on('message', (d) => events.push({ ...(JSON.parse(d.toString()) as Seen), at: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { events, close: () => ws.close() };
}

const TOKEN = 'bench-voice-burst-token-0123456789';
const ONCALL_MS = Number(process.env.BENCH_ONCALL_MS ?? 0);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const RATE = Number(process.env.DOZVON_ORIGINATES_PER_SECOND ?? 1000);
/**
 * A server in service has placed calls before: one page goes through first, then the burst.
 * BENCH_COLD=1 sends the burst into a server that just started (modules still loading lazily,
 * the audio thread and the decoder not yet made).
 */
const WARM = !process.env.BENCH_COLD;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const median = (xs: number[]) => pct(xs, 50);
const fmt = (xs: number[]) =>
  xs.length
    ? `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`
    : 'no samples';

interface BurstResult {
  originate: number[];
  invite: number[];
  audio: number[];
  /** When the last 200 came back, from the first request (ms). */
  accepted: number;
  /** CPU ms dozvon spent from the first request to the last originate: less at the mercy of a loaded machine than wall time. */
  cpuMs: number;
}

interface Options {
  n: number;
  real: boolean;
  pg: boolean;
  espeak: boolean;
}

/** Starts dozvon for N people on a fresh database; returns its base URL and a stop function. */
async function startDozvon(o: Options, dir: string, ari: Record<string, string>, oncallUrl: string) {
  const everyone = Array.from({ length: o.n + 1 }, (_, i) => ({ email: `eng${i}@example.com`, phone: `+1555400${String(1000 + i)}` }));
  writeFileSync(
    path.join(dir, 'team.yaml'),
    everyone.map((p, i) => `- {email: ${p.email}, name: "Engineer ${i}", phone: "${p.phone}"}`).join('\n'),
  );
  const pg = o.pg ? await makePgDatabase() : null;
  const google = o.espeak ? null : await new FakeGoogleTts().start();
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
  const served = await spawnServe({ ...env, DOZVON_LISTEN: `127.0.0.1:${await freePort()}` }, 120_000);
  return {
    people: everyone.slice(0, o.n),
    warm: everyone[o.n],
    base: `http://127.0.0.1:${served.port}`,
    cpuMs: () => processCpuMs(served.child.pid!),
    async stop() {
      // BENCH_LOG=file keeps dozvon's own log of the run: where the milliseconds went.
      if (process.env.BENCH_LOG) writeFileSync(process.env.BENCH_LOG, served.output());
      served.child.kill('SIGTERM');
      await waitExit(served.child);
      await google?.stop();
      await pg?.drop();
    },
  };
}

/** Sends every page at once; returns when each 200 came back (ms since the epoch, by person). */
async function burst(base: string, people: { email: string }[], message: (i: number) => string): Promise<number[]> {
  return Promise.all(
    people.map(async (p, i) => {
      const r = await fetch(`${base}/api/v1/make_call`, {
        method: 'POST',
        headers: { authorization: TOKEN, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(p.email)}&message=${encodeURIComponent(message(i))}`,
      });
      const at = Date.now();
      if (r.status !== 200) throw new Error(`make_call ${r.status} ${await r.text()}`);
      return at;
    }),
  );
}

/** Waits until dozvon has finished starting (its startup self-checks, prompt rendering): CPU idle for half a second. */
async function settle(cpuMs: () => number, maxMs = 60_000): Promise<void> {
  const end = Date.now() + maxMs;
  for (;;) {
    const a = cpuMs();
    await new Promise((r) => setTimeout(r, 500));
    if (cpuMs() - a <= 20 || Date.now() > end) return;
  }
}

const waitUntil = async (cond: () => boolean, what: string, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function fakeRun(o: Options, dir: string): Promise<BurstResult> {
  const asterisk = await FakeAsterisk.start({ timeScale: 1 });
  const oncall = await FakeOnCall.start();
  oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
  const ari = { DOZVON_ARI_URL: asterisk.url, DOZVON_ARI_USER: asterisk.user, DOZVON_ARI_PASSWORD: asterisk.password };
  const d = await startDozvon(o, dir, ari, oncall.url);
  try {
    // Real time, and phones that ring for seconds as real ones do: the calls of the burst do not
    // start playing while the burst is still being dialled (on the real Asterisk they answer after it rang).
    for (const p of d.people) asterisk.phone(p.phone).willAnswerAfter(5000).willPress('1', { afterPlaybackStartMs: 200 });
    oncall.setDelay(ONCALL_MS);
    await settle(d.cpuMs);
    if (WARM) {
      asterisk.phone(d.warm.phone).willAnswerAfter(100).willPress('1', { afterPlaybackStartMs: 200 });
      await burst(d.base, [d.warm], () => 'warm up on warm.example.com');
      await waitUntil(() => asterisk.requests.some((r) => r.method === 'POST' && r.path === '/ari/channels'), 'warm-up originate');
      await settle(d.cpuMs);
      asterisk.requests.length = 0;
    }
    const cpu0 = d.cpuMs();
    const t0 = Date.now();
    const accepted = await burst(d.base, d.people, (i) => `Disk ${90 + (i % 10)}% full on web-${i}.prod.example.com`);
    const originates = () => asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
    await waitUntil(() => originates().length >= o.n, 'every originate');
    const cpuMs = d.cpuMs() - cpu0;
    const originate = d.people.map((p, i) => {
      const r = originates().find((x) => String(x.query.endpoint ?? '').includes(p.phone));
      if (!r) throw new Error(`no originate for ${p.phone}`);
      return r.at - accepted[i];
    });
    return { originate, invite: [], audio: [], accepted: Math.max(...accepted) - t0, cpuMs };
  } finally {
    await d.stop();
    await asterisk.close();
    await oncall.close();
  }
}

async function realRun(o: Options, dir: string, asterisk: RealAsterisk): Promise<BurstResult> {
  const oncall = await FakeOnCall.start();
  oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
  const integ = oncall.state.addIntegration({ name: 'Prod' });
  const ari = { DOZVON_ARI_URL: asterisk.ariUrl, DOZVON_ARI_PASSWORD: asterisk.layout.ariPassword };
  const d = await startDozvon(o, dir, ari, oncall.url);
  const phones = await TestPhones.connect(asterisk);
  const watch = await watchAri(asterisk);
  try {
    oncall.setDelay(ONCALL_MS);
    const messages = d.people.map((_, i) => {
      const title = `Disk ${90 + (i % 10)}% full on web-${String(i).padStart(2, '0')}.prod.example.com`;
      const group = oncall.state.addAlertGroup({ integrationId: integ.id, title });
      return `You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title ${title} ref http://grafana.test/a/grafana-oncall-app/alert-groups/${group.id} triggered 3 times`;
    });
    await settle(d.cpuMs);
    if (WARM) {
      const ringing = phones.expectCall(d.warm.phone.slice(1), 60_000);
      await burst(d.base, [d.warm], () => 'warm up on warm.example.com');
      const w = await ringing;
      await w.answer();
      await new Promise((r) => setTimeout(r, 1000));
      await w.hangup().catch(() => undefined);
      await settle(d.cpuMs);
    }
    const calls = d.people.map((p) => phones.expectCall(p.phone.slice(1), 60_000));
    const cpu0 = d.cpuMs();
    const t0 = Date.now();
    const accepted = await burst(d.base, d.people, (i) => messages[i]);
    const rung = await Promise.all(calls);
    const cpuMs = d.cpuMs() - cpu0;
    // dozvon's channel is created by the originate; Asterisk's Dial event names it with the number it dials.
    const channelOf = d.people.map(
      (p) => watch.events.find((e) => e.type === 'Dial' && String(e.dialstring ?? '').includes(p.phone.slice(1)))?.peer?.id,
    );
    const originate = d.people.map((_, i) => {
      const created = watch.events.find((e) => e.type === 'ChannelCreated' && e.channel?.id === channelOf[i]);
      return (created?.at ?? NaN) - accepted[i];
    });
    const invite = d.people.map((p, i) => {
      const e = phones.events.find((x) => x.type === 'StasisStart' && x.args?.[0] === p.phone.slice(1));
      return (e!.receivedAt as number) - accepted[i];
    });
    process.stderr.write(`rung: make_call → originate ${fmt(originate)}; → INVITE ${fmt(invite)}\n`);
    // The phones answer together, the way a team picks up during an incident; ten at a time, as
    // with fifty answers at once the test Asterisk closed an ARI connection in one run here.
    const answerOne = async (call: (typeof rung)[number], i: number) => {
      // From the answer request: under load dozvon's first playback can overtake the reply to it.
      const answered = Date.now();
      await call.answer();
      const target = `channel:${channelOf[i]}`;
      const end = answered + 30_000;
      let first: Seen | undefined;
      while (!(first = watch.events.find((e) => e.type === 'PlaybackStarted' && e.playback?.target_uri === target && e.at >= answered)))
        if (Date.now() > end) throw new Error(`no audio on the call to ${d.people[i].phone}`);
        else await new Promise((r) => setTimeout(r, 2));
      return first.at - answered;
    };
    const audio: number[] = [];
    for (let k = 0; k < rung.length; k += 10) audio.push(...(await Promise.all(rung.slice(k, k + 10).map((c, j) => answerOne(c, k + j)))));
    await Promise.all(rung.map((c) => c.hangup().catch(() => undefined)));
    return { originate: originate.filter(Number.isFinite), invite, audio, accepted: Math.max(...accepted) - t0, cpuMs };
  } finally {
    watch.close();
    phones.close();
    await d.stop();
    await oncall.close();
  }
}

export async function benchVoiceBurst(o: Options): Promise<void> {
  if (o.pg) {
    const why = await pgUnavailable();
    if (why) throw new Error(why);
  }
  let asterisk: RealAsterisk | null = null;
  if (o.real) {
    process.env.DOZVON_TEST_ASTERISK_SRC = sourceTarball();
    asterisk = await RealAsterisk.start(await (buildAsterisk() as Promise<string>));
  }
  const runs: BurstResult[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const load = loadavg()[0].toFixed(2);
      const dir = mkdtempSync(path.join(tmpdir(), 'dozvon-bench-burst-'));
      try {
        const res = asterisk ? await realRun(o, dir, asterisk) : await fakeRun(o, dir);
        runs.push(res);
        console.log(
          `run ${r + 1}/${RUNS} (load average ${load}): make_call → originate ${fmt(res.originate)}${res.invite.length ? `; → INVITE ${fmt(res.invite)}; answer → first audio ${fmt(res.audio)}` : ''}; last 200 after ${res.accepted} ms; dozvon CPU until every phone rang ${res.cpuMs} ms`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await asterisk?.stop();
  }
  const med = (f: (r: BurstResult) => number[], p: number) => median(runs.filter((r) => f(r).length).map((r) => pct(f(r), p)));
  console.log(
    `bench:voice --burst ${o.n}: ${WARM ? 'warm server' : 'cold server (BENCH_COLD)'}, ${o.real ? 'real Asterisk 22 over SIP' : 'fake Asterisk'}, ${o.pg ? 'PostgreSQL' : 'SQLite'}, ${o.espeak ? 'espeak-ng' : 'Google TTS fake'}, OnCall answering in ${ONCALL_MS} ms; median of ${RUNS} run(s):`,
  );
  console.log(`  make_call 200 → originate p50 ${med((r) => r.originate, 50)} ms, p99 ${med((r) => r.originate, 99)} ms`);
  if (o.real) {
    console.log(`  make_call 200 → INVITE    p50 ${med((r) => r.invite, 50)} ms, p99 ${med((r) => r.invite, 99)} ms`);
    console.log(`  answer → first audio      p50 ${med((r) => r.audio, 50)} ms, p99 ${med((r) => r.audio, 99)} ms`);
  }
  // A full bucket lets `RATE` originates through at once, then one every 1/RATE s.
  const bound = o.n > RATE ? Math.ceil(((o.n - RATE) / RATE) * 1000) : 0;
  if (bound > 0)
    console.log(
      `  the originate rate limit is the bound: ${o.n} pages at DOZVON_ORIGINATES_PER_SECOND=${RATE} cannot all originate in under ${bound} ms`,
    );
}
