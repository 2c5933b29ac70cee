/** A bounded HTTP load loop on loopback: N requests over C keep-alive connections, latencies kept. */
import { Agent, request } from 'node:http';

export interface LoadResult {
  total: number;
  ok: number;
  statuses: Record<number, number>;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadOptions {
  /** One port, or several taken in turn (one server per port, as behind a round-robin balancer). */
  port: number | number[];
  path: string;
  /** The same body every time, or one per request number. */
  body: string | ((i: number) => string);
  headers: Record<string, string>;
  total: number;
  concurrency: number;
}

/**
 * Open loop: requests start at a fixed rate whatever the answers do (as OnCall's workers send
 * pages), so the server is measured below saturation. `concurrency` caps the sockets.
 */
export async function runOpenLoop(opts: LoadOptions & { ratePerSec: number }): Promise<LoadResult> {
  const started = Date.now();
  return runLoad(opts, async (i) => {
    const wait = started + (i * 1000) / opts.ratePerSec - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  });
}

/** Closed loop: `concurrency` clients each send the next request as soon as the previous answered. */
export async function runLoad(opts: LoadOptions, pace?: (i: number) => Promise<void>): Promise<LoadResult> {
  const ports = Array.isArray(opts.port) ? opts.port : [opts.port];
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = typeof opts.body === 'string' ? opts.body : opts.body(i);
      const started = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port: ports[i % ports.length],
          path: opts.path,
          method: 'POST',
          agent,
          headers: { ...opts.headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.setTimeout(10000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < opts.total) {
      const i = next++;
      if (pace) await pace(i);
      await one(i);
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return {
    total: opts.total,
    ok: statuses[200] ?? 0,
    statuses,
    seconds,
    rps: opts.total / seconds,
    p50: pct(50),
    p99: pct(99),
    max: latencies[latencies.length - 1],
  };
}

export function fmt(r: LoadResult): string {
  return `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   max ${r.max.toFixed(1)} ms   statuses ${JSON.stringify(r.statuses)}`;
}
