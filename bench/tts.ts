/**
 * npm run bench:tts: a 300-character summary through the fake Google host on loopback.
 * Prints time to a playable file split into network wait and our own CPU (normalise, MP3
 * decode, resample + WAV, write), and the cost of a cache hit. Targets: CPU < 50 ms per
 * summary, cache hit < 1 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SystemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/log';
import { AudioConverter } from '../src/tts/audio/convert';
import { GoogleSynthesizer } from '../src/tts/google';
import { normaliseForSpeech } from '../src/tts/normalise';
import { createRenderCache, RenderedTts } from '../src/tts/rendered';
import { FileMediaStore } from '../src/tts/store';
import { FakeGoogleTts } from '../test/fakes/google-tts';

const SUMMARY =
  'Incident: [FIRING:3] HighCPUUsage on db-01.prod.example.com, load above 95% for 15m. Source: Grafana Alerting. ' +
  'Host: db-01.prod.example.com. 3 alerts, started 12 minutes ago. Runbook: https://wiki.example.com/runbooks/cpu :fire: ' +
  'Press 1 to acknowledge, 2 to escalate, 3 to reassign, 4 to resolve.';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
  const google = await new FakeGoogleTts().start();
  google.latencyMs = latency;
  // Google speaks ~15 characters a second: one 3.3 s clip per 50 characters keeps decode work realistic.
  google.charsPerClip = 50;
  const dir = mkdtempSync(path.join(tmpdir(), 'dozvon-bench-tts-'));
  try {
    const logger = silentLogger();
    const synth = new GoogleSynthesizer({ host: google.url, clock: new SystemClock(), logger });
    const store = new FileMediaStore({ dir, delivery: 'http', publicUrl: 'http://127.0.0.1:8080/' });
    await store.init();
    const converter = new AudioConverter('wav8');
    const rows: Record<'normalise' | 'network' | 'decode' | 'convert' | 'write' | 'cpu' | 'total', number[]> = {
      normalise: [],
      network: [],
      decode: [],
      convert: [],
      write: [],
      cpu: [],
      total: [],
    };
    let parts = 0;
    let seconds = 0;
    for (let i = 0; i <= rounds; i++) {
      const t0 = performance.now();
      const spoken = normaliseForSpeech(`${SUMMARY} #${i}`, 'en');
      const t1 = performance.now();
      const mp3s = await synth.fetchMp3(spoken, 'en');
      const t2 = performance.now();
      const pcm = await synth.decode(mp3s);
      const t3 = performance.now();
      const wav = converter.convert(pcm);
      const t4 = performance.now();
      await store.put(`${'b'.repeat(31)}${i % 10}.wav`, wav);
      const t5 = performance.now();
      if (i === 0) continue; // warm-up: wasm compile, resampler tables
      parts = mp3s.length;
      seconds = (wav.length - 44) / 16000;
      rows.normalise.push(t1 - t0);
      rows.network.push(t2 - t1);
      rows.decode.push(t3 - t2);
      rows.convert.push(t4 - t3);
      rows.write.push(t5 - t4);
      rows.cpu.push(t1 - t0 + (t3 - t2) + (t4 - t3)); // the write is I/O, shown on its own
      rows.total.push(t5 - t0);
    }
    // The format decision (docs/speech.md): same audio as 16 kHz signed linear.
    const wide = new AudioConverter('sln16');
    const pcm = await synth.decode(await synth.fetchMp3(normaliseForSpeech(SUMMARY, 'en'), 'en'));
    const wideTimes: number[] = [];
    let wideBytes = 0;
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      wideBytes = wide.convert(pcm).length;
      wideTimes.push(performance.now() - t);
    }
    const narrowBytes = converter.convert(pcm).length;
    const tts = new RenderedTts({ synth, store, converter, logger, cache: createRenderCache(store, logger) });
    await tts.render(SUMMARY, 'en');
    const hits: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      const s = await tts.render(SUMMARY, 'en');
      hits.push(performance.now() - t);
      if (!s.cached) throw new Error('expected a cache hit');
    }
    console.log(
      `summary: ${SUMMARY.length} chars → ${parts} Google parts, ${seconds.toFixed(1)} s of 8 kHz audio; fake host latency ${latency} ms; ${rounds} rounds, medians:`,
    );
    for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(10)} ${ms(median(v))}`);
    const cpu = median(rows.cpu);
    const hit = median(hits);
    console.log(`  cache hit  ${ms(hit)} (p99 ${ms([...hits].sort((a, b) => a - b)[Math.floor(hits.length * 0.99)])})`);
    console.log(
      `  format     wav8: ${(narrowBytes / 1024).toFixed(0)} KiB, convert ${ms(median(rows.convert))}; sln16: ${(wideBytes / 1024).toFixed(0)} KiB, convert ${ms(median(wideTimes))}`,
    );
    console.log(
      `our CPU per summary ${ms(cpu)} (target < 50 ms): ${cpu < 50 ? 'OK' : 'OVER'}; cache hit ${ms(hit)} (target < 1 ms): ${hit < 1 ? 'OK' : 'OVER'}`,
    );
  } finally {
    await google.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exitCode = 1;
});
