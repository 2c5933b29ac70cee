/**
 * Opsgenie Alert API v2 stand-in: Alertmanager, Grafana, Zabbix and SDK scripts page through
 * dozvon by changing the URL and key. Creates and actions answer 202 with a request id whose
 * status is already stored when the answer leaves (Zabbix polls at once, without a pause);
 * an action on a missing alert is a 202 with a failed status, as Opsgenie does, so senders do
 * not log a failure for closing what is already gone. Errors are Opsgenie's `{message, took,
 * requestId}`, 422 with the field.
 */
import { Router, RouterT, Request, Response, NextFunction, ErrorRequestHandler } from '../http/express';
import { errorMessage } from '../core/errors';
import { clientKey } from '../http/limiter';
import { BODY_LIMITS, parseBody } from '../http/body';
import { loggedPath } from '../http/log-path';
import { clientErrorStatus } from '../http/server';
import { opsgenieInvalid, opsgenieSend as send, opsgenieStart } from '../http/opsgenie-envelope';
import type { z } from '../core/validate';
import type { Integration } from '../alerts/integrations';
import type { ActionParams } from '../alerts/service';
import type { AlertActor, AlertIdentifier, RequestOutcome } from '../alerts/types';
import {
  UPDATES,
  actionSchema,
  assignSchema,
  baseAlert,
  createSchema,
  escalateSchema,
  fullAlert,
  IDENTIFIER_TYPES,
  noteSchema,
  snoozeSchema,
  toInput,
} from './shape';
import { parsePage, parseQuery, QueryError } from './query';
import { normalisePath, requireKey } from './doors';
import type { AlertApiDeps } from './deps';

const integrationOf = (res: Response) => res.locals.integration as Integration;

function actorOf(res: Response, user: string | undefined): AlertActor {
  const i = integrationOf(res);
  return { name: user ? `${user} via integration ${i.name}` : `integration ${i.name}` };
}

function identifierOf(req: Request, res: Response): AlertIdentifier | null {
  const t = req.query.identifierType === undefined || req.query.identifierType === '' ? 'id' : String(req.query.identifierType);
  if (!(t in IDENTIFIER_TYPES)) {
    send(res, 422, {
      message: 'Request body is not processable. identifierType: should be one of id, alias, tiny',
      errors: { identifierType: 'should be one of id, alias, tiny' },
    });
    return null;
  }
  // Express has decoded the path parameter once (Uptime Kuma encodes aliases; the Go SDK does not).
  return { identifier: String(req.params.identifier), type: t as AlertIdentifier['type'] };
}

/** Parses with the schema or answers 422; null when answered. */
function parse<S extends z.ZodTypeAny>(schema: S, req: Request, res: Response): z.infer<S> | null {
  const r = schema.safeParse(req.body ?? {});
  if (r.success) return r.data;
  opsgenieInvalid(res, r.error);
  return null;
}

const ACTIONS: Record<string, (b: Record<string, unknown>) => ActionParams> = {
  acknowledge: (b) => ({ action: 'acknowledge', note: b.note as string | undefined }),
  unacknowledge: (b) => ({ action: 'unacknowledge', note: b.note as string | undefined }),
  close: (b) => ({ action: 'close', note: b.note as string | undefined }),
  notes: (b) => ({ action: 'note', note: b.note as string }),
  escalate: (b) => ({ action: 'escalate', note: b.note as string | undefined }),
  assign: (b) => {
    const o = b.owner as { id?: string; username?: string };
    return { action: 'assign', owner: (o.username ?? o.id) as string, note: b.note as string | undefined };
  },
  snooze: (b) => ({ action: 'snooze', endTime: b.endTime as number, note: b.note as string | undefined }),
};
const SCHEMAS: Record<string, z.ZodTypeAny> = { notes: noteSchema, snooze: snoozeSchema, escalate: escalateSchema, assign: assignSchema };

export function alertsRouter(deps: AlertApiDeps): RouterT {
  const r = Router();
  const log = deps.logger.child({ module: 'opsgenie-alerts' });
  const { service } = deps;

  r.use(normalisePath);
  r.use('/v2/alerts', requireKey(deps.door));
  r.use(
    '/v2/alerts',
    parseBody(BODY_LIMITS.alertApi, (res, e) => send(res, e.status, { message: e.message })),
  );

  /** Stores the outcome under the request id before the 202 leaves. */
  const accepted = async (res: Response, outcome: RequestOutcome) => {
    const requestId = opsgenieStart(res);
    await service.repo.recordRequest(requestId, integrationOf(res).id, outcome);
    send(res, 202, { result: 'Request will be processed' });
  };

  r.post('/v2/alerts', async (req, res) => {
    const body = parse(createSchema, req, res);
    if (!body) return;
    const { alert, deduplicated } = await service.create(actorOf(res, body.user), integrationOf(res), toInput(body, clientKey(req)));
    const status = deduplicated ? 'Alert is deduplicated' : 'Created alert';
    await accepted(res, { success: true, action: 'Create', status, alertId: alert.id, alias: alert.alias });
  });

  r.get('/v2/alerts', async (req, res) => {
    const filter = parseQuery(typeof req.query.query === 'string' ? req.query.query : undefined);
    const page = parsePage(req.query);
    const [alerts, total, names] = await Promise.all([service.list(filter, page), service.count(filter), deps.integrationNames()]);
    const name = (id: string | null) => (id ? (names.get(id) ?? '') : '');
    send(res, 200, { data: alerts.map((a) => baseAlert(a, name)), paging: paging(deps.publicUrl, req, page, total), totalCount: total });
  });

  r.get('/v2/alerts/count', async (req, res) => {
    const filter = parseQuery(typeof req.query.query === 'string' ? req.query.query : undefined);
    send(res, 200, { data: { count: await service.count(filter) } });
  });

  r.get('/v2/alerts/requests/:requestId', async (req, res) => {
    const s = await service.repo.request(String(req.params.requestId));
    // Another integration's request is as unknown as a made-up id.
    if (!s || s.integrationId !== integrationOf(res).id) return send(res, 404, { message: 'Request does not exist.' });
    send(res, 200, {
      data: {
        success: s.success,
        isSuccess: s.success,
        action: s.action,
        processedAt: new Date(s.processedAt).toISOString(),
        integrationId: s.integrationId,
        status: s.status,
        alertId: s.alertId,
        alias: s.alias,
      },
    });
  });

  r.get('/v2/alerts/:identifier', async (req, res) => {
    const id = identifierOf(req, res);
    if (!id) return;
    const a = await service.get(id);
    if (!a) return send(res, 404, { message: 'Alert does not exist' });
    const names = await deps.integrationNames();
    send(res, 200, { data: fullAlert(a, (i) => (i ? (names.get(i) ?? '') : '')) });
  });

  r.post('/v2/alerts/:identifier/:action', async (req, res, next) => {
    const name = String(req.params.action);
    const make = ACTIONS[name];
    if (!make) return next();
    const id = identifierOf(req, res);
    if (!id) return;
    const body = parse(SCHEMAS[name] ?? actionSchema, req, res) as Record<string, unknown> | null;
    if (!body) return;
    const outcome = await service.act(actorOf(res, body.user as string | undefined), id, make(body));
    await accepted(res, outcome);
  });

  r.put('/v2/alerts/:identifier/:field', async (req, res, next) => {
    const field = String(req.params.field);
    const schema = UPDATES[field];
    if (!schema) return next();
    const id = identifierOf(req, res);
    if (!id) return;
    const body = parse(schema, req, res) as Record<string, string> | null;
    if (!body) return;
    const params = { action: 'update', field, value: body[field] } as ActionParams;
    await accepted(res, await service.act(actorOf(res, body.user), id, params));
  });

  r.use('/v2/alerts', (req, res) =>
    send(res, 404, { message: `dozvon does not serve ${req.method} ${loggedPath(req)} of the Alert API.` }),
  );
  r.use('/v2/alerts', errors(log));
  return r;
}

function paging(base: string, req: Request, p: ReturnType<typeof parsePage>, total: number): Record<string, string> {
  const link = (offset: number) => {
    const q = new URLSearchParams();
    if (typeof req.query.query === 'string') q.set('query', req.query.query);
    q.set('offset', String(offset));
    q.set('limit', String(p.limit));
    q.set('sort', p.sort);
    q.set('order', p.order);
    return `${base.replace(/\/$/, '')}/v2/alerts?${q}`;
  };
  const out: Record<string, string> = { first: link(0) };
  if (p.offset + p.limit < total) out.next = link(p.offset + p.limit);
  if (p.offset > 0) out.prev = link(Math.max(0, p.offset - p.limit));
  out.last = link(Math.max(0, Math.floor((total - 1) / p.limit) * p.limit));
  return out;
}

function errors(log: AlertApiDeps['logger']): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof QueryError)
      return send(res, 422, { message: `Request is not processable. ${err.field}: ${err.message}`, errors: { [err.field]: err.message } });
    const status = clientErrorStatus(err);
    if (status !== null) return send(res, status, { message: 'Bad request.' });
    log.error({ err: errorMessage(err), path: loggedPath(req) }, 'Opsgenie alert API failed');
    send(res, 500, { message: 'Internal error' });
  };
}
