/**
 * bench:voice --burst N — N pages for N people sent at once (an incident paging a whole team):
 * make_call's 200 → originate and → the INVITE at the phone, per page, matched by the number
 * dialled (never by order), p50/p99/max; on a real Asterisk also answer → first audio.
 *
 *   npm run bench:voice -- --burst 20            fake Asterisk (this process, real ari-client)
 *   npm run bench:voice -- --real --burst 20     the real Asterisk of test/real over SIP
 *   … --pg                                       on PostgreSQL (DOZVON_TEST_PG_URL) instead of SQLite
 *   … --espeak                                   espeak-ng renders the speech instead of the Google fake
 *   … --real --floor                             no dozvon: the same originates sent at once by a bare
 *                                                client, the floor this Asterisk sets on this machine
 * BENCH_ONCALL_MS (default 0 = answers at once; 2000 = slow) is how late the fake OnCall answers.
 * BENCH_RUNS (default 1) repeats the burst on fresh processes and prints the median of the runs.
 * DOZVON_ORIGINATES_PER_SECOND is lifted to 1000 unless set: the rate limit is a separate bound,
 * stated beside the figures when it is the one that holds the burst back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { FakeAsterisk } from '../test/fakes/asterisk';
import { FakeOnCall } from '../test/fakes/oncall';
import { buildAsterisk, RealAsterisk } from '../test/real/asterisk/process';
import { pgUnavailable } from '../test/helpers/pg';
import { sourceTarball } from '../test/real/asterisk/source';
import { BurstResult, Options, ONCALL_MS, RATE, RUNS, WARM, burst, fmt, median, pct, settle, startDozvon } from './lib/burst-common';
import { realRun } from './lib/burst-real';
import { floorRun } from './lib/burst-floor';
import { waitUntil } from './lib/deadline';
import { Teardown } from './lib/teardown';

async function fakeRun(o: Options, dir: string): Promise<BurstResult> {
  const stops = new Teardown();
  try {
    const asterisk = stops.add(await FakeAsterisk.start({ timeScale: 1 }), (a) => a.close());
    const oncall = stops.add(await FakeOnCall.start(), (f) => f.close());
    oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
    const ari = { DOZVON_ARI_URL: asterisk.url, DOZVON_ARI_USER: asterisk.user, DOZVON_ARI_PASSWORD: asterisk.password };
    const d = stops.add(await startDozvon(o, dir, ari, oncall.url), (x) => x.stop());
    // Real time, and phones that ring for seconds as real ones do: the calls of the burst do not
    // start playing while the burst is still being dialled (on the real Asterisk they answer after it rang).
    for (const p of d.people) asterisk.phone(p.phone).willAnswerAfter(5000).willPress('1', { afterPlaybackStartMs: 200 });
    oncall.setDelay(ONCALL_MS);
    await settle(d.cpuMs, 'after its start');
    if (WARM) {
      asterisk.phone(d.warm.phone).willAnswerAfter(100).willPress('1', { afterPlaybackStartMs: 200 });
      await burst(d.base, [d.warm], () => 'warm up on warm.example.com');
      await waitUntil(() => asterisk.requests.some((r) => r.method === 'POST' && r.path === '/ari/channels'), 'warm-up originate');
      await settle(d.cpuMs, 'after the warm-up call');
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
    const sent = originate.map((o, i) => o + accepted[i] - t0);
    return { originate, sent, invite: [], audio: [], accepted: Math.max(...accepted) - t0, cpuMs };
  } finally {
    await stops.run();
  }
}

export async function benchVoiceBurst(o: Options): Promise<void> {
  if (o.pg) {
    const why = await pgUnavailable();
    if (why) throw new Error(why);
  }
  if (o.floor && !o.real) throw new Error('--floor measures the real Asterisk: add --real');
  if (o.real) process.env.DOZVON_TEST_ASTERISK_SRC = sourceTarball();
  const prefix = o.real ? await (buildAsterisk() ?? Promise.reject(new Error('no Asterisk source'))) : null;
  const runs: BurstResult[] = [];
  for (let r = 0; r < RUNS; r++) {
    const load = loadavg()[0].toFixed(2);
    const dir = mkdtempSync(path.join(tmpdir(), 'dozvon-bench-burst-'));
    const stops = new Teardown();
    stops.add(dir, (d) => rmSync(d, { recursive: true, force: true }));
    try {
      // A fresh Asterisk for every run: once the one before had left dozvon's closing ARI socket
      // unanswered for 30 s, it never answered a new socket's upgrade, and every later run failed.
      // Two RTP sessions a call (the trunk and the phone side), each an even port and the odd one above it.
      // The phones record nothing, in dozvon's runs and the floor's alike: the bench listens to no recording.
      const asterisk = prefix
        ? stops.add(await RealAsterisk.start(prefix, { rtpPorts: Math.max(200, 4 * (o.n + 10)), recordPhones: false }), (a) => a.stop())
        : null;
      const res = asterisk ? await (o.floor ? floorRun(o, asterisk) : realRun(o, dir, asterisk)) : await fakeRun(o, dir);
      runs.push(res);
      console.log(
        o.floor
          ? `run ${r + 1}/${RUNS} (load average ${load}): Asterisk alone, send → originate ${fmt(res.originate)}; → INVITE ${fmt(res.invite)}; answer → first audio ${fmt(res.audio)}`
          : `run ${r + 1}/${RUNS} (load average ${load}): make_call → originate ${fmt(res.originate)}; sent → originate ${fmt(res.sent)}${res.invite.length ? `; → INVITE ${fmt(res.invite)}; answer → first audio ${fmt(res.audio)}` : ''}; last 200 after ${res.accepted} ms; dozvon CPU until every phone rang ${res.cpuMs} ms`,
      );
    } finally {
      await stops.run();
    }
  }
  const med = (f: (r: BurstResult) => number[], p: number) => median(runs.filter((r) => f(r).length).map((r) => pct(f(r), p)));
  if (o.floor) {
    console.log(
      `bench:voice --burst ${o.n} --floor: no dozvon, ${o.n} originates sent at once to the real Asterisk 22 (its test phones answering over SIP); median of ${RUNS} run(s):`,
    );
    console.log(`  send → originate p50 ${med((r) => r.originate, 50)} ms, p99 ${med((r) => r.originate, 99)} ms`);
    console.log(`  send → INVITE    p50 ${med((r) => r.invite, 50)} ms, p99 ${med((r) => r.invite, 99)} ms`);
    console.log(`  answer → first audio p50 ${med((r) => r.audio, 50)} ms, p99 ${med((r) => r.audio, 99)} ms`);
    return;
  }
  console.log(
    `bench:voice --burst ${o.n}: ${WARM ? 'warm server' : 'cold server (BENCH_COLD)'}, ${o.real ? 'real Asterisk 22 over SIP' : 'fake Asterisk'}, ${o.pg ? 'PostgreSQL' : 'SQLite'}, ${o.espeak ? 'espeak-ng' : 'Google TTS fake'}, OnCall answering in ${ONCALL_MS} ms; median of ${RUNS} run(s):`,
  );
  console.log(`  make_call 200 → originate p50 ${med((r) => r.originate, 50)} ms, p99 ${med((r) => r.originate, 99)} ms`);
  console.log(`  burst sent → originate  p50 ${med((r) => r.sent, 50)} ms, p99 ${med((r) => r.sent, 99)} ms`);
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
