/**
 * Who is on call, in Opsgenie's schedule API shape (`GET /v2/schedules/{id}/on-calls` and
 * `next-on-calls`), so scripts written against Opsgenie keep working; and each rotation's
 * calendar feed at its signed address. The schedule API takes the admin token, sent as Opsgenie
 * clients send a key (`Authorization: GenieKey …`) or as `Bearer`.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Router, type NextFunction, type Request, type Response, type RouterT } from '../http/express';
import type { AdminTokenGuard } from '../web/admin-token';
import type { Logger } from '../core/log';
import { AppError, errorMessage } from '../core/errors';
import { loggedPath } from '../http/log-path';
import type { User } from '../directory/user';
import type { Teams } from './service';
import type { CalendarLinks } from './calendar-links';

export interface SchedulesApiDeps {
  teams: Teams;
  guard: AdminTokenGuard;
  /** Built on first use: the secret lives in the database, which is not open when routes are built. */
  calendarLinks: () => Promise<CalendarLinks>;
  logger: Logger;
  now: () => number;
  /** How far ahead a calendar feed reaches. */
  feedWeeks?: number;
}

function send(res: Response, status: number, body: Record<string, unknown>): void {
  const requestId = randomUUID();
  const started = (res.locals.schedulesStarted as bigint | undefined) ?? process.hrtime.bigint();
  // Opsgenie reports the time taken in seconds.
  const took = Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
  res
    .status(status)
    .set('X-Request-Id', requestId)
    .json({ ...body, took, requestId });
}

function auth(guard: AdminTokenGuard) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!guard.enabled) return send(res, 403, { message: 'The schedule API is disabled: set DOZVON_ADMIN_TOKEN.' });
    const m = /^(?:GenieKey|Bearer)\s+(.+)$/i.exec(req.get('authorization') ?? '');
    const verdict = guard.check(req, m ? m[1].trim() : '');
    if (verdict.kind === 'ok') return next();
    if (verdict.kind === 'locked') {
      res.set('Retry-After', String(verdict.retryAfterSeconds));
      return send(res, 429, { message: 'Too many wrong keys from this address; try again later.' });
    }
    send(res, 401, { message: 'Key format is not valid!' });
  };
}

/** The schedule a request names, by `scheduleIdentifierType` (Opsgenie's spelling) or `identifierType`. */
function scheduleRef(req: Request): { ref: string; type: 'id' | 'name' } {
  const t = String(req.query.scheduleIdentifierType ?? req.query.identifierType ?? 'id');
  if (t !== 'id' && t !== 'name') throw new AppError('invalid', 'scheduleIdentifierType must be id or name');
  return { ref: String(req.params.identifier), type: t };
}

function dateOf(req: Request, now: number): number {
  if (req.query.date === undefined) return now;
  const d = DateTime.fromISO(String(req.query.date), { setZone: true });
  if (!d.isValid) throw new AppError('invalid', 'date must be an ISO-8601 date-time');
  return d.toMillis();
}

const participant = (u: User) => ({ id: u.publicId, name: u.email, type: 'user' });

export function schedulesRouter(d: SchedulesApiDeps): RouterT {
  const r = Router();
  const log = d.logger.child({ mod: 'schedules-api' });
  r.use('/v2/schedules', (_req, res, next) => {
    res.locals.schedulesStarted = process.hrtime.bigint();
    next();
  });

  const load = async (req: Request) => {
    const { ref, type } = scheduleRef(req);
    const s = await d.teams.schedule(ref);
    // A name that happens to look like another schedule's id must not answer for it.
    if ((type === 'id' && s.id !== ref) || (type === 'name' && s.name.toLowerCase() !== ref.toLowerCase())) {
      throw new AppError('not-found', `Schedule with identifier [${ref}] does not exist.`);
    }
    return s;
  };

  r.get('/v2/schedules/:identifier/on-calls', auth(d.guard), async (req, res, next) => {
    try {
      const s = await load(req);
      const on = await d.teams.onCall(s.id, dateOf(req, d.now()));
      const parent = { id: s.id, name: s.name, enabled: s.enabled };
      if (req.query.flat === 'true') send(res, 200, { data: { _parent: parent, onCallRecipients: on.now.map((u) => u.email) } });
      else send(res, 200, { data: { _parent: parent, onCallParticipants: on.now.map(participant) } });
    } catch (e) {
      next(e);
    }
  });

  r.get('/v2/schedules/:identifier/next-on-calls', auth(d.guard), async (req, res, next) => {
    try {
      const s = await load(req);
      const on = await d.teams.onCall(s.id, dateOf(req, d.now()));
      const parent = { id: s.id, name: s.name, enabled: s.enabled };
      const users = on.next?.users ?? [];
      const at = on.next ? { startDate: new Date(on.next.at).toISOString() } : {};
      if (req.query.flat === 'true')
        send(res, 200, { data: { _parent: parent, ...at, exactNextOnCallRecipients: users.map((u) => u.email) } });
      else send(res, 200, { data: { _parent: parent, ...at, exactNextOnCallRecipients: users.map(participant) } });
    } catch (e) {
      next(e);
    }
  });

  r.get('/calendar/:token.ics', async (req, res, next) => {
    try {
      const rotationId = (await d.calendarLinks()).rotationOf(String(req.params.token), d.now());
      const ics = rotationId ? await d.teams.calendar(rotationId, d.feedWeeks ?? 8) : null;
      if (!ics) return void res.status(404).type('text/plain').send('No such calendar.\n');
      res.status(200).type('text/calendar; charset=utf-8').set('Cache-Control', 'private, max-age=300').send(ics);
    } catch (e) {
      next(e);
    }
  });

  r.use(['/v2/schedules', '/calendar'], (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError && err.code === 'not-found') return send(res, 404, { message: err.message });
    if (err instanceof AppError && err.code === 'invalid') return send(res, 422, { message: err.message });
    log.error({ err: errorMessage(err), path: loggedPath(req) }, 'schedule API failed');
    send(res, 500, { message: 'Internal error' });
  });
  return r;
}
