/**
 * Express factory: JSON errors on every path, no redirects, optional trailing slashes (OnCall
 * mixes `info/` and `make_call`), and every route also under the public URL's path prefix.
 * No body is parsed here: routes parse their own after authentication (body.ts). Routers are
 * mounted by the composition root; the error handler is registered last.
 */
import { express, Express, RouterT, ErrorRequestHandler, Request, Response, NextFunction, RequestHandler } from './express';
import type { Logger } from '../core/log';
import { requestLog } from './request-log';
import { closeUnreadBodies } from './unread-body';
import { loggedPath } from './log-path';
import { AppError, ValidationError } from '../core/errors';
import type { ServerResponse } from 'node:http';
import type { JsonAnswer } from './answer';

export interface Mount {
  path: string;
  router: RouterT;
}

export interface HttpAppOptions {
  logger: Logger;
  mounts: Mount[];
  /** DOZVON_PUBLIC_URL: its path prefix (`/oncall` of `https://h/oncall/`) is served as well as the root. */
  publicUrl?: string;
  /** Express "trust proxy" (DOZVON_TRUST_PROXY): which proxies' X-Forwarded-For gives the client address. */
  trustProxy?: boolean | number | readonly string[];
}

export function createHttpApp(opts: HttpAppOptions): Express {
  const app = express();
  const base = basePath(opts.publicUrl);
  app.disable('x-powered-by');
  // Every answer is made per request: an ETag would hash each body (a SHA-1 per make_call) for a
  // conditional GET that no client of these APIs sends. Media files carry their own (sendFile).
  app.set('etag', false);
  app.set('strict routing', false);
  app.set('case sensitive routing', true);
  app.set('query parser', 'simple');
  if (opts.trustProxy !== undefined && opts.trustProxy !== false)
    app.set('trust proxy', Array.isArray(opts.trustProxy) ? [...opts.trustProxy] : opts.trustProxy);
  app.use(requestLog(opts.logger, base));
  app.use(closeUnreadBodies);
  if (base) app.use(stripBase(base));
  app.use(refuseNul);
  for (const m of opts.mounts) app.use(m.path, m.router);
  app.use((req: Request, res: Response) => {
    res.status(404).json({ detail: 'Not found.' });
  });
  app.use(errorHandler(opts.logger, base));
  return app;
}

/** "/oncall" for "https://h/oncall/", "" for a public URL at the root. */
export function basePath(publicUrl: string | undefined): string {
  if (!publicUrl) return '';
  try {
    return new URL(publicUrl).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/** Routes are written for the root; a request under the prefix is routed as if it came without it. */
function stripBase(base: string): RequestHandler {
  return (req, res, next) => {
    const url = req.url;
    if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) {
      // Pages that link to themselves (the console) keep the prefix the browser used.
      res.locals.mountBase = base;
      const rest = url.slice(base.length);
      req.url = rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
    }
    next();
  };
}

/** A NUL byte is never meaningful in a URL, and PostgreSQL refuses it in text: 400 before any route sees it. */
const refuseNul: RequestHandler = (req, res, next) => {
  if (/%00|\u0000/i.test(req.url)) {
    res.status(400).json({ detail: 'NUL characters are not allowed in the URL.' });
    return;
  }
  next();
};

/**
 * Express and its helpers mark client errors with a status (a path parameter that is not valid
 * percent-encoding is a 400 URIError): the client's problem, not ours, and not worth an error line.
 * Routers with their own error handlers ask this first.
 */
export function clientErrorStatus(err: unknown): number | null {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = e?.status ?? e?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** Last-resort mapping; routers map their own errors to their protocol's shapes first. */
function errorHandler(logger: Logger, base: string): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => answerError(logger, base, err, req, res, res);
}

/** The last-resort answer to an error, for Express and the direct routes (direct.ts) alike. */
export function answerError(
  logger: Logger,
  base: string,
  err: unknown,
  req: { method?: string; url?: string; originalUrl?: string },
  res: Pick<ServerResponse, 'headersSent' | 'destroy'>,
  answer: JsonAnswer,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ValidationError) {
    answer.status(400).json({ detail: err.message });
    return;
  }
  if (err instanceof AppError && err.code === 'not-found') {
    answer.status(404).json({ detail: err.message });
    return;
  }
  const status = clientErrorStatus(err);
  if (status !== null) {
    answer
      .status(status)
      .json({ detail: status === 413 ? 'Request body too large.' : status === 415 ? 'Unsupported body encoding.' : 'Bad request.' });
    return;
  }
  logger.error(
    { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err), path: loggedPath(req, base) },
    'unhandled error',
  );
  answer.status(500).json({ detail: 'Internal error.' });
}
