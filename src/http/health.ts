/** /healthz: the process answers. /readyz: the database answers and migrations ran. */
import { Router, RouterT } from './express';

export interface ReadinessProbe {
  name: string;
  check(): Promise<void>;
}

export function healthRouter(probes: ReadinessProbe[]): RouterT {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const results: Record<string, string> = {};
    let ok = true;
    for (const p of probes) {
      try {
        await withTimeout(p.check(), 2000);
        results[p.name] = 'ok';
      } catch (e) {
        ok = false;
        results[p.name] = (e as Error).message;
      }
    }
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'not ready', checks: results });
  });
  return r;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
