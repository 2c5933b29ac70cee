/**
 * bench:voice --real — time to ring and time to first audio on a REAL Asterisk 22 over SIP/RTP.
 *
 * A `dozvon serve` child process, the real Asterisk of the test suite (built from
 * DOZVON_TEST_ASTERISK_SRC, default ../shared/asterisk, cached), the test phones on the far side
 * of the PJSIP trunk, a fake OnCall that answers every request after BENCH_ONCALL_MS (default
 * 2000) and a fake Google TTS host that answers after BENCH_TTS_MS (default 1000). Every call is
 * about a distinct incident, so nothing is served from a cached text.
 *
 * For each of BENCH_CALLS (default 20) pages, one after another:
 *   ring:  make_call's 200 → the INVITE reaching the phone (originate included)
 *   audio: the phone answering → dozvon's first playback starting on the call
 * and whether the summary (rendered speech) was played, and how long after the answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServe, runCliProcess, waitExit } from '../test/helpers/spawn';
import { FakeOnCall } from '../test/fakes/oncall';
import { FakeGoogleTts } from '../test/fakes/google-tts';
import { buildAsterisk, freePort, RealAsterisk } from '../test/real/asterisk/process';
import { TestPhones } from '../test/real/phones';
import { sourceTarball } from '../test/real/asterisk/source';

const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const ONCALL_MS = Number(process.env.BENCH_ONCALL_MS ?? 2000);
const TTS_MS = Number(process.env.BENCH_TTS_MS ?? 1000);
const TOKEN = 'bench-voice-real-token-0123456789';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (xs: number[]) =>
  xs.length
    ? `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`
    : 'no samples';

export async function benchVoiceReal(): Promise<void> {
  process.env.DOZVON_TEST_ASTERISK_SRC = sourceTarball();
  const prefix = await (buildAsterisk() as Promise<string>);
  const asterisk = await RealAsterisk.start(prefix);
  const oncall = await FakeOnCall.start();
  oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
  const integ = oncall.state.addIntegration({ name: 'Prod' });
  const google = await new FakeGoogleTts().start();
  google.charsPerClip = 60;
  const dir = mkdtempSync(path.join(tmpdir(), 'dozvon-bench-real-'));
  const people = Array.from({ length: CALLS }, (_, i) => ({ email: `eng${i}@example.com`, phone: `+1555300${String(1000 + i)}` }));
  writeFileSync(
    path.join(dir, 'team.yaml'),
    people.map((p, i) => `- {email: ${p.email}, name: "Engineer ${i}", phone: "${p.phone}"}`).join('\n'),
  );
  const env = {
    DOZVON_DB: `sqlite:${path.join(dir, 'd.sqlite')}`,
    DOZVON_CLOUD_TOKENS: TOKEN,
    DOZVON_ARI_URL: asterisk.ariUrl,
    DOZVON_ARI_PASSWORD: asterisk.layout.ariPassword,
    DOZVON_ONCALL_URL: oncall.url,
    DOZVON_ONCALL_TOKEN: 'svc-token',
    DOZVON_TTS: 'google',
    DOZVON_TTS_GOOGLE_HOST: google.url,
    DOZVON_TTS_DIR: path.join(dir, 'tts'),
    DOZVON_LOG_LEVEL: 'info',
  };
  process.stderr.write('bench: starting dozvon\n');
  const imported = await runCliProcess(['users', 'import', path.join(dir, 'team.yaml'), '--create'], env);
  if (imported.code !== 0) {
    const again = await runCliProcess(['users', 'import', path.join(dir, 'team.yaml')], env);
    if (again.code !== 0) throw new Error(again.stderr);
  }
  // A real port: Asterisk fetches the speech from the public URL, which defaults to the listen address.
  const served = await spawnServe({ ...env, DOZVON_LISTEN: `127.0.0.1:${await freePort()}` }, 30_000);
  const phones = await TestPhones.connect(asterisk);
  // Only now slow the fakes down: start-up checks are not what is measured.
  oncall.setDelay(ONCALL_MS);
  google.latencyMs = TTS_MS;
  const ring: number[] = [];
  const originate: number[] = [];
  const audio: number[] = [];
  const summary: number[] = [];
  let summaries = 0;
  try {
    for (let i = 0; i < CALLS; i++) {
      const title = `Disk ${90 + (i % 10)}% full on web-${String(i).padStart(2, '0')}.prod.example.com`;
      const group = oncall.state.addAlertGroup({ integrationId: integ.id, title });
      const message = `You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title ${title} ref http://grafana.test/a/grafana-oncall-app/alert-groups/${group.id} triggered 3 times`;
      const r = await fetch(`http://127.0.0.1:${served.port}/api/v1/make_call`, {
        method: 'POST',
        headers: { authorization: TOKEN, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(people[i].email)}&message=${encodeURIComponent(message)}`,
      });
      const accepted = performance.now();
      const acceptedAt = Date.now();
      if (r.status !== 200) throw new Error(`make_call ${r.status} ${await r.text()}`);
      const call = await phones.expectCall(people[i].phone.slice(1), 30_000);
      ring.push(performance.now() - accepted);
      // dozvon's channel as Asterisk created it (subscribeAll shows other apps' channels).
      const created = phones.events.find(
        (e) => e.type === 'ChannelCreated' && /^PJSIP\/trunk-/.test(e.channel?.name ?? '') && (e.receivedAt as number) >= acceptedAt - 5,
      );
      if (created) originate.push((created.receivedAt as number) - acceptedAt);
      // Both waits start before the answer, which is timed from its request: dozvon's greeting
      // can start before Asterisk's reply to the answer reaches the bench, and a wait begun after
      // that reply took the summary for the first audio and then waited 30 s for a second one.
      const firstAudio = phones.waitEvent((e) => e.type === 'PlaybackStarted', 'first audio', 30_000).then(() => performance.now());
      const speech = phones
        .waitEvent(
          (e) => e.type === 'PlaybackStarted' && /\/media\/[A-Za-z0-9_-]{32}\./.test(e.playback?.media_uri ?? ''),
          'the summary',
          30_000,
        )
        .then(() => performance.now())
        .catch(() => null);
      const answered = performance.now();
      await call.answer();
      audio.push((await firstAudio) - answered);
      const spoken = await speech;
      if (spoken !== null) {
        summaries++;
        summary.push(spoken - answered);
      }
      process.stderr.write(
        `call ${i + 1}/${CALLS}: ring ${ring[i].toFixed(0)} ms, first audio ${audio[i].toFixed(0)} ms${spoken !== null ? `, summary ${summary[summary.length - 1].toFixed(0)} ms` : ', no summary'}\n`,
      );
      await call.hangup();
      await call.waitEnded();
    }
  } finally {
    phones.close();
    served.child.kill('SIGTERM');
    await waitExit(served.child);
    await asterisk.stop();
    await oncall.close();
    await google.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `bench:voice --real: ${CALLS} calls on Asterisk 22 over SIP, each a distinct incident; OnCall answers in ${ONCALL_MS} ms, TTS in ${TTS_MS} ms`,
  );
  console.log(`  make_call 200 → originate (ChannelCreated): ${fmt(originate)}`);
  console.log(`  make_call 200 → phone rings (INVITE): ${fmt(ring)}`);
  console.log(`  answer → first audio:                  ${fmt(audio)}`);
  console.log(`  answer → summary starts:               ${fmt(summary)}; summaries played ${summaries}/${CALLS}`);
}
