/**
 * Who is on call, in Opsgenie's schedule API shape (`GET /v2/schedules/{id}/on-calls` and
 * `next-on-calls`), so scripts written against Opsgenie keep working; and each rotation's
 * calendar feed at its signed address. The schedule API opens to the admin token or to an
 * integration key with read access, sent as Opsgenie clients send a key (`Authorization:
 * GenieKey …`) or as `Bearer`: a script that reads who is on call needs no admin token.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Router, type NextFunction, type Request, type Response, type RouterT } from '../http/express';
import type { AdminTokenGuard } from '../web/admin-token';
import type { Logger } from '../core/log';
import { AppError, errorMessage } from '../core/errors';
import { loggedPath } from '../http/log-path';
import type { User } from '../directory/user';
import type { Integration } from '../alerts/integrations';
import type { Teams } from './service';
import type { CalendarLinks } from './calendar-links';

/** Finds the active integration a key belongs to (the alert API's key check). */
export interface IntegrationKeys {
  verify(offered: readonly string[]): Promise<Pick<Integration, 'access'> | null>;
}

export interface SchedulesApiDeps {
  teams: Teams;
  guard: AdminTokenGuard;
  keys: IntegrationKeys;
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

/**
 * The admin token or a readable integration key. Wrong keys of either kind count against the
 * admin token's limiter, checked before any key is compared, so guessing integration keys here
 * is throttled like guessing the admin token.
 */
function auth(guard: AdminTokenGuard, keys: IntegrationKeys) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const locked = guard.lockedFor(req);
    if (locked > 0) return tooMany(res, locked);
    const m = /^(?:GenieKey|Bearer)\s+(.+)$/i.exec(req.get('authorization') ?? '');
    const given = m ? m[1].trim() : '';
    try {
      const integration = given ? await keys.verify([given]) : null;
      if (integration) {
        if (integration.access.includes('read')) return next();
        return send(res, 403, { message: 'This integration key has no read access.' });
      }
    } catch (e) {
      return next(e);
    }
    const verdict = guard.check(req, given);
    if (verdict.kind === 'ok') return next();
    if (verdict.kind === 'locked') return tooMany(res, verdict.retryAfterSeconds);
    send(res, 401, { message: 'Could not authenticate' });
  };
}

function tooMany(res: Response, seconds: number): void {
  res.set('Retry-After', String(seconds));
  send(res, 429, { message: 'Too many wrong keys from this address; try again later.' });
}

/** The schedule a request names, by `scheduleIdentifierType` (Opsgenie's spelling) or `identifierType`. */
function scheduleRef(req: Request): { ref: string; type: 'id' | 'name' } {
  const t = String(req.query.scheduleIdentifierType ?? req.query.identifierType ?? 'id');
  if (t !== 'id' && t !== 'name') throw new AppError('invalid', 'scheduleIdentifierType must be id or name');
  return { ref: String(req.params.identifier), type: t };
}

/**
 * The instant to answer for, default now. A `+` in an unencoded offset (`date=…T10:00:00+01:00`
 * typed into curl) arrives as a space; it is read back as the `+` it was.
 */
function dateOf(req: Request, now: number): number {
  const raw = req.query.date;
  if (raw === undefined || raw === '') return now;
  const d = DateTime.fromISO(String(raw).replace(/ (\d\d(?::?\d\d)?)$/, '+$1'), { setZone: true });
  if (!d.isValid) throw new AppError('invalid', 'date must be an ISO-8601 date-time');
  return d.toMillis();
}

/** Opsgenie's `flat`: `true` answers addresses only; anything but true or false is refused rather than guessed. */
function flatOf(req: Request): boolean {
  const v = req.query.flat === undefined || req.query.flat === '' ? 'false' : String(req.query.flat).toLowerCase();
  if (v !== 'true' && v !== 'false') throw new AppError('invalid', 'flat must be true or false');
  return v === 'true';
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

  r.get('/v2/schedules/:identifier/on-calls', auth(d.guard, d.keys), async (req, res, next) => {
    try {
      const s = await load(req);
      const flat = flatOf(req);
      const on = await d.teams.onCall(s.id, dateOf(req, d.now()));
      const parent = { id: s.id, name: s.name, enabled: s.enabled };
      if (flat) send(res, 200, { data: { _parent: parent, onCallRecipients: on.now.map((u) => u.email) } });
      else send(res, 200, { data: { _parent: parent, onCallParticipants: on.now.map(participant) } });
    } catch (e) {
      next(e);
    }
  });

  // The SDKs read `exactNext…` (who takes over at the next hand-off) and `next…`; with neither
  // forwarding nor escalation participants in a dozvon schedule, both name the same people.
  // Flat answers are `…Participants` (addresses), the others `…Recipients` (objects), as in the Go SDK.
  r.get('/v2/schedules/:identifier/next-on-calls', auth(d.guard, d.keys), async (req, res, next) => {
    try {
      const s = await load(req);
      const flat = flatOf(req);
      const on = await d.teams.onCall(s.id, dateOf(req, d.now()));
      const parent = { id: s.id, name: s.name, enabled: s.enabled };
      const users = on.next?.users ?? [];
      // Not in Opsgenie's answer: when the next hand-off is, which scripts otherwise cannot learn.
      const at = on.next ? { startDate: new Date(on.next.at).toISOString() } : {};
      if (flat) {
        const emails = users.map((u) => u.email);
        send(res, 200, { data: { _parent: parent, ...at, nextOnCallParticipants: emails, exactNextOnCallParticipants: emails } });
      } else {
        const people = users.map(participant);
        send(res, 200, { data: { _parent: parent, ...at, nextOnCallRecipients: people, exactNextOnCallRecipients: people } });
      }
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
