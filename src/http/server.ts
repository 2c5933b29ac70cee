/**
 * Express factory: body parsers with limits, JSON errors on every path, no redirects, and
 * optional trailing slashes (OnCall mixes `info/` and `make_call`). Routers are mounted by
 * the composition root; the error handler is registered last.
 */
import { express, Express, RouterT, ErrorRequestHandler, Request, Response, NextFunction } from './express';
import type { Logger } from '../core/log';
import { requestLog } from './request-log';
import { AppError, ValidationError } from '../core/errors';

export interface Mount {
  path: string;
  router: RouterT;
}

export function createHttpApp(opts: { logger: Logger; mounts: Mount[] }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('strict routing', false);
  app.set('case sensitive routing', true);
  app.set('query parser', 'simple');
  app.use(requestLog(opts.logger));
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }));
  app.use(express.json({ limit: '1mb', strict: false }));
  for (const m of opts.mounts) app.use(m.path, m.router);
  app.use((req: Request, res: Response) => {
    res.status(404).json({ detail: 'Not found.' });
  });
  app.use(errorHandler(opts.logger));
  return app;
}

/** Last-resort mapping; routers map their own errors to their protocol's shapes first. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
    if (e && (e.type === 'entity.parse.failed' || e.type === 'entity.too.large' || e.type === 'parameters.too.many' || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')) {
      const status = e.type === 'entity.too.large' ? 413 : e.type?.endsWith('unsupported') ? 415 : 400;
      res.status(status).json({ detail: bodyErrorText(e.type) });
      return;
    }
    if (err instanceof ValidationError) {
      res.status(400).json({ detail: err.message });
      return;
    }
    if (err instanceof AppError && err.code === 'not-found') {
      res.status(404).json({ detail: err.message });
      return;
    }
    logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err), path: req.path }, 'unhandled error');
    res.status(500).json({ detail: 'Internal error.' });
  };
}

function bodyErrorText(type: string): string {
  switch (type) {
    case 'entity.parse.failed':
      return 'Malformed request body.';
    case 'entity.too.large':
      return 'Request body too large.';
    case 'parameters.too.many':
      return 'Too many form fields.';
    default:
      return 'Unsupported body encoding.';
  }
}
