/**
 * Routes served straight from Node's HTTP server, ahead of Express: OnCall's make_call and
 * send_sms, most of what dozvon is sent, and the start of every page's way to the phone.
 * Express's own work per request (its request and response objects, its router, the middleware
 * chain) cost more CPU than the page did: bench:cloud measured 560–760 µs per make_call through
 * Express and about 320 µs without it, and in a burst that CPU is taken from the calls being
 * dialled. A direct route answers as its Express twin does, through the same handlers (token
 * check, body parser, page intake, request log, last-resort error answer); any other method or
 * path goes on to Express.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../core/log';
import { DirectAnswer } from './answer';
import { logWhenAnswered } from './request-log';
import { answerError } from './server';

export interface DirectRoute {
  method: 'POST';
  /** As Express routes are written: below the public URL's prefix, with no trailing slash. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface DirectOptions {
  /** The public URL's path prefix ("" at the root): served with and without it, as Express is. */
  base: string;
  logger: Logger;
}

export function directFirst(routes: readonly DirectRoute[], express: RequestListener, o: DirectOptions): RequestListener {
  const table = new Map<string, DirectRoute>();
  for (const r of routes) {
    table.set(`${r.method} ${r.path}`, r);
    if (o.base) table.set(`${r.method} ${o.base}${r.path}`, r);
  }
  return (req, res) => {
    const route = table.get(`${req.method} ${routePath(req.url)}`);
    if (route) void serve(route, req, res, o);
    else express(req, res);
  };
}

/** The path as Express matches it here: without the query, one trailing slash optional (strict routing is off), case kept. */
export function routePath(url = '/'): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

async function serve(route: DirectRoute, req: IncomingMessage, res: ServerResponse, o: DirectOptions): Promise<void> {
  logWhenAnswered(o.logger, req, res, o.base);
  try {
    await route.handle(req, res);
  } catch (err) {
    answerError(o.logger, o.base, err, req, res, new DirectAnswer(req, res));
  }
}
