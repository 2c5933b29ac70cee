/**
 * healthchecks.io-style pings. Two addressings, as healthchecks offers with its ping key:
 *   /ping/<key>/<name>[/fail|/start|/log|/<exit status>]   (the secret is in the URL: cron one-liners)
 *   /ping/<name>[/...] with the key in `Authorization` or `?apiKey=`
 * Success is 200 `OK` (201 when `?create=1` created the heartbeat); errors are JSON.
 */
import { Router, RouterT, Request, Response, NextFunction, ErrorRequestHandler } from '../http/express';
import { AppError, errorMessage } from '../core/errors';
import { matchesAny } from '../http/auth';
import type { HeartbeatApiDeps } from './deps';
import { hasValidKey } from './keys';
import { checkSecret } from '../http/secret-limits';
import { NO_ROOM } from './create-limit';
import { BODY_LIMITS, BODY_REFUSED, readBody } from '../http/body';
import { loggedPath } from '../http/log-path';
import { clientErrorStatus } from '../http/server';

/** healthchecks' defaults for auto-provisioned checks: period 1 day, grace 1 hour. */
const CREATE_DEFAULTS = { kind: 'healthchecks' as const, periodS: 86400, graceS: 3600 };

type Signal = { kind: 'ping' } | { kind: 'fail'; reason: string } | { kind: 'start' } | { kind: 'log' };

function signalOf(suffix: string | undefined): Signal | null {
  if (suffix === undefined) return { kind: 'ping' };
  if (suffix === 'fail') return { kind: 'fail', reason: 'failure signalled (/fail)' };
  if (suffix === 'start') return { kind: 'start' };
  if (suffix === 'log') return { kind: 'log' };
  if (/^\d{1,3}$/.test(suffix) && Number(suffix) <= 255)
    return Number(suffix) === 0 ? { kind: 'ping' } : { kind: 'fail', reason: `exit status ${Number(suffix)}` };
  return null;
}

function jsonError(res: Response, status: number, error: string, detail: string): void {
  res.status(status).json({ error, detail });
}

export function healthchecksRouter(deps: HeartbeatApiDeps): RouterT {
  const r = Router();
  const log = deps.logger.child({ module: 'healthchecks-pings' });

  const handle = async (req: Request, res: Response) => {
    const parts = [req.params.a, req.params.b, req.params.c].filter((p): p is string => typeof p === 'string');
    let name: string | undefined;
    let suffix: string | undefined;
    let keyInPath = false;
    // The first segment is always a guess at the key, so every refusal counts against the address.
    const verdict = checkSecret(deps.keyFailures, req, true, () => {
      keyInPath = matchesAny(parts[0], deps.keys);
      return keyInPath || hasValidKey(req, deps.keys);
    });
    if (!verdict.ok && verdict.retryAfterS !== null) {
      res.set('Retry-After', String(verdict.retryAfterS));
      return jsonError(
        res,
        429,
        'too-many-failures',
        `Too many wrong heartbeat keys from this address; try again in ${verdict.retryAfterS} seconds.`,
      );
    }
    if (keyInPath) {
      [, name, suffix] = parts;
      if (parts.length > 3 || name === undefined) return jsonError(res, 404, 'not-found', 'Use /ping/<key>/<name>.');
    } else {
      if (!verdict.ok)
        return jsonError(res, 401, 'unauthorized', 'Put the key in the URL (/ping/<key>/<name>), in Authorization, or in ?apiKey=.');
      if (parts.length > 2) return jsonError(res, 404, 'not-found', 'Unknown ping URL.');
      [name, suffix] = parts;
    }
    const signal = signalOf(suffix);
    if (!signal) return jsonError(res, 404, 'not-found', `Unknown ping suffix "${suffix}".`);
    const source = `healthchecks ${req.method}${suffix ? ' /' + suffix : ''} from ${req.ip ?? '?'}`;
    const create = req.query.create === '1';
    if (signal.kind === 'ping') {
      const pinged = () => deps.service.ping(name, { source, createWith: create ? CREATE_DEFAULTS : undefined });
      const outcome = create && deps.createLimit ? await deps.createLimit.run(name, pinged) : await pinged();
      if (outcome === NO_ROOM) return jsonError(res, 403, 'heartbeat-limit', deps.createLimit!.text());
      const { heartbeat, created } = outcome;
      if (!heartbeat) return jsonError(res, 404, 'not-found', `No heartbeat named "${name}" (add ?create=1 to create it).`);
      return void res
        .status(created ? 201 : 200)
        .type('text/plain')
        .send('OK');
    }
    // Only /log reads a body, and only once the key is good.
    const body = signal.kind === 'log' ? await readBody(req, res, BODY_LIMITS.pingLog) : undefined;
    if (body === BODY_REFUSED) return;
    if (create && !(await deps.service.get(name))) {
      const made = () => deps.service.create({ name, ...CREATE_DEFAULTS });
      if ((deps.createLimit ? await deps.createLimit.run(name, made) : await made()) === NO_ROOM)
        return jsonError(res, 403, 'heartbeat-limit', deps.createLimit!.text());
    }
    if (signal.kind === 'fail') await deps.service.fail(name, signal.reason);
    else await deps.service.note(name, signal.kind, signal.kind === 'log' ? logText(req, body) : source);
    log.debug({ heartbeat: name, signal: signal.kind }, 'healthchecks signal');
    res.status(200).type('text/plain').send('OK');
  };

  for (const path of ['/ping/:a', '/ping/:a/:b', '/ping/:a/:b/:c']) {
    r.get(path, handle);
    r.post(path, handle);
  }
  r.use('/ping', errors(log));
  return r;
}

/** `/log` carries a message: a text or JSON body, or `?msg=`. */
function logText(req: Request, body: unknown): string {
  if (typeof req.query.msg === 'string') return req.query.msg.slice(0, 500);
  if (typeof body === 'string') return body.slice(0, 500);
  if (body && typeof body === 'object' && Object.keys(body).length) return JSON.stringify(body).slice(0, 500);
  return 'log';
}

function errors(log: HeartbeatApiDeps['logger']): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError && err.code === 'not-found') return jsonError(res, 404, 'not-found', err.message);
    if (err instanceof AppError && err.code === 'conflict') return jsonError(res, 409, 'conflict', err.message);
    if (err instanceof AppError && err.code === 'invalid') return jsonError(res, 400, 'invalid', err.message);
    if (clientErrorStatus(err) !== null) return jsonError(res, clientErrorStatus(err)!, 'bad-request', 'Bad request.');
    log.error({ err: errorMessage(err), path: loggedPath(req) }, 'healthchecks ping failed');
    jsonError(res, 500, 'internal', 'Internal error.');
  };
}
