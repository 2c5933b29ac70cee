/**
 * Alertmanager webhook receiver (payload version 4). A firing `Watchdog` alert counts as a
 * ping for one heartbeat, named `alertmanager-<receiver>` (lower-cased) unless the URL says
 * `?heartbeat=<name>`. Other alerts are ignored: paging for them goes through OnCall.
 */
import { Router, RouterT, Request, Response, NextFunction, ErrorRequestHandler } from '../http/express';
import { AppError, errorMessage } from '../core/errors';
import { z, describeIssues } from '../core/validate';
import type { AlertmanagerApiDeps } from './deps';
import { checkKey } from './keys';
import { NO_ROOM } from './create-limit';
import { BODY_LIMITS, BODY_REFUSED, readBody } from '../http/body';
import { loggedPath } from '../http/log-path';
import { clientErrorStatus } from '../http/server';

const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

export const alertmanagerPayloadSchema = z.looseObject({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  receiver: z.string().min(1).max(150),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(alertSchema),
  groupLabels: z.record(z.string(), z.string()).optional(),
  commonLabels: z.record(z.string(), z.string()).optional(),
  commonAnnotations: z.record(z.string(), z.string()).optional(),
  externalURL: z.string().optional(),
});

/** The documented naming rule. */
export function watchdogHeartbeatName(receiver: string): string {
  const slug = receiver
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `alertmanager-${slug || 'default'}`;
}

export function isWatchdog(labels: Record<string, string>): boolean {
  return (labels.alertname ?? '').toLowerCase() === 'watchdog';
}

export function alertmanagerRouter(deps: AlertmanagerApiDeps): RouterT {
  const r = Router();
  const log = deps.logger.child({ module: 'alertmanager-webhook' });

  r.post('/api/v1/alertmanager', async (req: Request, res: Response) => {
    const verdict = checkKey(req, deps);
    if (!verdict.ok && verdict.retryAfterS !== null) {
      res
        .set('Retry-After', String(verdict.retryAfterS))
        .status(429)
        .json({
          error: 'too-many-failures',
          detail: `Too many wrong heartbeat keys from this address; try again in ${verdict.retryAfterS} seconds.`,
        });
      return;
    }
    if (!verdict.ok) {
      res.status(401).json({ error: 'unauthorized', detail: 'Send a heartbeat key as Bearer, basic auth password, or ?apiKey=.' });
      return;
    }
    const body = await readBody(req, res, BODY_LIMITS.alertmanager);
    if (body === BODY_REFUSED) return;
    const parsed = alertmanagerPayloadSchema.safeParse(body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid', detail: `Not an Alertmanager webhook payload: ${describeIssues(parsed.error)}` });
      return;
    }
    const p = parsed.data;
    const override =
      typeof req.query.heartbeat === 'string' && req.query.heartbeat.trim() ? req.query.heartbeat.trim().slice(0, 200) : null;
    const name = override ?? watchdogHeartbeatName(p.receiver);
    const firing = p.alerts.some((a) => a.status === 'firing' && isWatchdog(a.labels));
    if (!firing) {
      log.debug({ receiver: p.receiver, alerts: p.alerts.length }, 'Alertmanager notification without a firing Watchdog');
      res.status(200).json({ status: 'ok', heartbeat: name, pinged: false });
      return;
    }
    const source = `alertmanager ${p.externalURL ?? p.receiver}`.slice(0, 500);
    const createWith = deps.watchdogAutoCreate ? { kind: 'alertmanager' as const, ...deps.watchdogAutoCreate } : undefined;
    const pinged = () => deps.service.ping(name, { source, createWith });
    const outcome = createWith && deps.createLimit ? await deps.createLimit.run(name, pinged) : await pinged();
    if (outcome === NO_ROOM) {
      res.status(403).json({ error: 'heartbeat-limit', detail: deps.createLimit!.text() });
      return;
    }
    const { heartbeat, created } = outcome;
    res.status(200).json({ status: 'ok', heartbeat: name, pinged: heartbeat !== null, created, known: heartbeat !== null });
  });

  r.use('/api/v1/alertmanager', errors(log));
  return r;
}

function errors(log: AlertmanagerApiDeps['logger']): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError && err.code === 'invalid') return void res.status(400).json({ error: 'invalid', detail: err.message });
    if (clientErrorStatus(err) !== null)
      return void res.status(clientErrorStatus(err)!).json({ error: 'bad-request', detail: 'Bad request.' });
    log.error({ err: errorMessage(err), path: loggedPath(req) }, 'Alertmanager webhook failed');
    res.status(500).json({ error: 'internal', detail: 'Internal error.' });
  };
}
