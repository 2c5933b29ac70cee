/**
 * npm run bench:event-loop: the event-loop gauge over Node's real monitor. An idle loop
 * should read p50 below 5 ms, and a 120 ms busy stall should read as a max of 90–500 ms (the
 * gauge subtracts the sampling interval). Real time on a quiet machine: a busy one reads higher,
 * which is why this is a bench and not a unit test. Exits 1 when a target is missed.
 */
import { Metrics } from '../src/metrics';
import { parseExposition } from '../test/integration/metrics/exposition';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const m = new Metrics({ eventLoopResolutionMs: 10 });
  const read = async (stat: string) => parseExposition((await m.scrape()).body).value('dozvon_event_loop_delay_seconds', { stat }) ?? NaN;
  try {
    await m.scrape(); // start a fresh window
    await sleep(300);
    const idleP50 = await read('p50');
    await sleep(50);
    const until = Date.now() + 120;
    while (Date.now() < until); // the kind of stall that makes Asterisk drop a WebSocket reader
    await sleep(50);
    const stallMax = await read('max');
    const ok = idleP50 < 0.005 && stallMax >= 0.09 && stallMax <= 0.5;
    process.stdout.write(`idle p50 ${(idleP50 * 1000).toFixed(2)} ms (target < 5 ms)\n`);
    process.stdout.write(`120 ms stall max ${(stallMax * 1000).toFixed(1)} ms (target 90–500 ms)\n`);
    process.stdout.write(ok ? 'ok\n' : 'MISSED\n');
    process.exitCode = ok ? 0 : 1;
  } finally {
    m.stop();
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exitCode = 1;
});
