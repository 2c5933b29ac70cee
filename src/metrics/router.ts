/**
 * GET /metrics for Prometheus. Open by default: label values are bounded and carry no emails,
 * numbers or ids, and Prometheus scrapers are usually unauthenticated inside the network. Pass
 * `token` to require `Authorization: Bearer <token>` (Prometheus: `authorization.credentials`).
 */
import { Router, RouterT } from '../http/express';
import { safeEqual } from '../http/auth';
import type { Metrics } from './registry';

export interface MetricsRouterOptions {
  /** When set, scrapes must carry this bearer token. */
  token?: string | null;
}

export function metricsRouter(metrics: Metrics, opts: MetricsRouterOptions = {}): RouterT {
  const r = Router();
  const token = opts.token ?? null;
  r.get('/metrics', async (req, res) => {
    if (token !== null) {
      const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
      if (!m || !safeEqual(m[1].trim(), token)) {
        res.set('WWW-Authenticate', 'Bearer realm="dozvon-metrics"').status(401).type('text/plain').send('unauthorized\n');
        return;
      }
    }
    try {
      const { contentType, body } = await metrics.scrape();
      res.set('Cache-Control', 'no-store').type(contentType).send(body);
    } catch (e) {
      res
        .status(500)
        .type('text/plain')
        .send(`# metrics unavailable: ${(e as Error).message}\n`);
    }
  });
  return r;
}
