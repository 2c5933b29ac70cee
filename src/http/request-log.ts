/**
 * One JSON line per request, with the full path as the client sent it (mount prefix included)
 * and every secret segment masked by route (see log-path.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from './express';
import type { Logger } from '../core/log';
import { loggedPath } from './log-path';

/** `res.locals` key a handler sets when its 5xx is the answer itself (a /readyz "not ready"), not a failure. */
export const ANSWERED_REFUSAL = 'answeredRefusal';

export function requestLog(logger: Logger, base = ''): RequestHandler {
  return (req, res, next) => {
    logWhenAnswered(logger, req, res, base, () => res.locals[ANSWERED_REFUSAL] === true);
    next();
  };
}

/** The line for one request once its answer is out; the direct routes (direct.ts) log through it too. */
export function logWhenAnswered(
  logger: Logger,
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  base: string,
  answeredRefusal: () => boolean = () => false,
): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    // Most answers are logged at debug only: build no line nobody will write.
    if (res.statusCode < 500 && !logger.isLevelEnabled('debug')) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { method: req.method, path: loggedPath(req, base), status: res.statusCode, ms: Math.round(ms * 100) / 100 };
    if (res.statusCode >= 500 && !answeredRefusal()) logger.error(line, 'request failed');
    else logger.debug(line, 'request');
  });
}
