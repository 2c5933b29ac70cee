/**
 * Opsgenie Heartbeat API v2 stand-in: existing senders move by changing only the host.
 * Bodies use Opsgenie's envelopes (`result` or `data`, plus `took` and `requestId`, and an
 * `X-Request-Id` header); errors are `{message, took, requestId[, errors]}`. Never a 5xx for
 * a permanent problem: the Opsgenie SDK retries those.
 */
import { Router, RouterT, Request, Response, NextFunction, ErrorRequestHandler } from '../http/express';
import { AppError, errorMessage } from '../core/errors';
import { clientKey } from '../http/limiter';
import type { HeartbeatApiDeps, OpsgenieApiDeps } from './deps';
import { BODY_LIMITS, parseBody } from '../http/body';
import { loggedPath } from '../http/log-path';
import { clientErrorStatus } from '../http/server';
import { checkKey } from './keys';
import { NO_ROOM } from './create-limit';
import { opsgenieInvalid, opsgenieRefuse, opsgenieSend, opsgenieStart } from '../http/opsgenie-envelope';
import { createSchema, heartbeatObject, infoObject, patchSchema, toInput, toPatch } from './opsgenie-shape';

const send = opsgenieSend;

const validationError = opsgenieInvalid;

const notFound = (res: Response, name: string) => send(res, 404, { message: `Heartbeat with name [${name}] does not exist.` });

/** The audit log names the API and the client address: every sender shares the same keys. */
function apiActor(req: Request): string {
  return `Opsgenie heartbeat API (${clientKey(req)})`;
}

export function opsgenieRouter(deps: OpsgenieApiDeps): RouterT {
  const r = Router();
  const log = deps.logger.child({ module: 'opsgenie-heartbeats' });

  r.use('/v2/heartbeats', (req: Request, res: Response, next: NextFunction) => {
    opsgenieStart(res);
    const verdict = checkKey(req, deps);
    if (verdict.ok) return next();
    opsgenieRefuse(res, verdict);
  });
  // Bodies are read only once the key is good, in Opsgenie's error shape when they are bad.
  r.use(
    '/v2/heartbeats',
    parseBody(BODY_LIMITS.heartbeatApi, (res, e) => send(res, e.status, { message: e.message })),
  );

  const ping = async (req: Request, res: Response) => {
    const name = String(req.params.name);
    // Like Opsgenie, an unknown name still gets its PONG; the service records it for the operator.
    await deps.service.ping(name, { source: `opsgenie ${req.method}` });
    send(res, 202, { result: 'PONG - Heartbeat received' });
  };
  for (const m of ['get', 'post', 'put', 'patch'] as const) r[m]('/v2/heartbeats/:name/ping', ping);

  r.get('/v2/heartbeats', async (_req, res) => {
    const all = await deps.service.list();
    send(res, 200, { data: { heartbeats: all.map(heartbeatObject) } });
  });

  // The handler runs in the limit's turn, held until its answer is out; a full list gets 403, which the SDK does not retry.
  r.post('/v2/heartbeats', async (req, res, next) => {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    const limit = deps.createLimit;
    if (!limit || typeof name !== 'string') return next();
    const turn = await limit.run(
      name.trim(),
      () =>
        new Promise<void>((done) => {
          res.once('close', done);
          next();
        }),
    );
    if (turn === NO_ROOM) send(res, 403, { message: limit.text() });
  });

  r.post('/v2/heartbeats', async (req, res) => {
    const parsed = createSchema.safeParse(req.body ?? {});
    if (!parsed.success) return validationError(res, parsed.error);
    const exists = await deps.service.get(parsed.data.name);
    if (exists) return send(res, 409, { message: `Heartbeat with name [${parsed.data.name}] already exists.` });
    const hb = await deps.admin.create(apiActor(req), toInput(parsed.data));
    log.info({ heartbeat: hb.name }, 'heartbeat created over the Opsgenie API');
    send(res, 201, { data: heartbeatObject(hb) });
  });

  r.get('/v2/heartbeats/:name', async (req, res) => {
    const hb = await deps.service.get(String(req.params.name));
    if (!hb) return notFound(res, String(req.params.name));
    send(res, 200, { data: heartbeatObject(hb) });
  });

  r.patch('/v2/heartbeats/:name', async (req, res) => {
    const name = String(req.params.name);
    const parsed = patchSchema.safeParse(req.body ?? {});
    if (!parsed.success) return validationError(res, parsed.error);
    const hb = await deps.service.get(name);
    if (!hb) return notFound(res, name);
    if (parsed.data.name !== undefined && parsed.data.name !== name)
      return send(res, 422, {
        message: 'Request body is not processable. name: a heartbeat cannot be renamed',
        errors: { name: 'cannot be renamed' },
      });
    const updated = await deps.admin.update(apiActor(req), name, toPatch(hb, parsed.data));
    send(res, 200, { data: infoObject(updated) });
  });

  r.delete('/v2/heartbeats/:name', async (req, res) => {
    const name = String(req.params.name);
    if (!(await deps.service.get(name))) return notFound(res, name);
    await deps.admin.remove(apiActor(req), name);
    send(res, 200, { result: 'Deleted' });
  });

  for (const action of ['enable', 'disable'] as const) {
    const handler = async (req: Request, res: Response) => {
      const name = String(req.params.name);
      if (!(await deps.service.get(name))) return notFound(res, name);
      const hb = action === 'enable' ? await deps.admin.resume(apiActor(req), name) : await deps.admin.pause(apiActor(req), name);
      send(res, 200, { data: infoObject(hb) });
    };
    for (const m of ['post', 'put', 'patch'] as const) r[m](`/v2/heartbeats/:name/${action}`, handler);
  }

  r.use('/v2/heartbeats', errors(log));
  return r;
}

/** One mapping from errors to Opsgenie's error body; a race (deleted meanwhile) is a 404, a duplicate a 409. */
function errors(log: HeartbeatApiDeps['logger']): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError && err.code === 'not-found') return send(res, 404, { message: err.message });
    if (err instanceof AppError && err.code === 'conflict') return send(res, 409, { message: err.message });
    if (err instanceof AppError && err.code === 'invalid')
      return send(res, 422, { message: `Request body is not processable. ${err.message}` });
    if (clientErrorStatus(err) !== null) return send(res, clientErrorStatus(err)!, { message: 'Bad request.' });
    log.error({ err: errorMessage(err), path: loggedPath(req) }, 'Opsgenie heartbeat API failed');
    send(res, 500, { message: 'Internal error' });
  };
}
