/**
 * POST api/v1/make_call and api/v1/send_sms. The notification is committed to the queue
 * before the 200, so an accepted page survives a crash. Every non-200 is JSON: a non-JSON
 * 400 makes the engine retry forever (contract §2.5).
 */
import { Router, RouterT, Request, Response } from '../http/express';
import type { CloudDeps } from './deps';
import { AppError } from '../core/errors';
import { maskEmail } from '../core/mask';
import { bodyObject, emailField, FieldErrors, hasErrors, stringField } from './fields';
import type { NotificationKind } from '../db/notifications-repo';

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_MESSAGE = 1024;

export function notifyRouter(deps: CloudDeps): RouterT {
  const r = Router({ strict: false });
  r.post('/api/v1/make_call', (req, res) => accept(deps, 'call', req, res));
  r.post('/api/v1/send_sms', (req, res) => accept(deps, 'sms', req, res));
  return r;
}

async function accept(deps: CloudDeps, kind: 'call' | 'sms', req: Request, res: Response): Promise<void> {
  const body = bodyObject(req.body);
  const errors: FieldErrors = {};
  const email = emailField(body, errors);
  const message = stringField(body, 'message', errors, { max: MAX_MESSAGE });
  if (hasErrors(errors)) {
    res.status(400).json(errors);
    return;
  }
  const log = deps.logger.child({ kind, email: maskEmail(email) });
  try {
    const user = await deps.users.getByEmail(email!);
    if (!user) {
      log.info('page refused: user not found');
      res.status(404).json({ error: 'user-not-found' });
      return;
    }
    if (user.phone === null || !user.phoneVerified) {
      log.info('page refused: no verified number');
      res.status(400).json({ error: 'number-not-verified' });
      return;
    }
    const limit = kind === 'call' ? deps.config.limits.dailyCalls : deps.config.limits.dailySms;
    const { notification } = await deps.notifications.enqueue(
      { kind, source: 'oncall-cloud', userId: user.id, email: user.email, message: message! },
      async (tx) => {
        if (limit > 0 && (await deps.notifications.countSince(tx, user.id, kind as NotificationKind, deps.now() - DAY_MS)) >= limit) {
          throw new AppError('limit-exceeded', `daily ${kind} limit of ${limit} reached`);
        }
      },
    );
    log.info({ notification: notification.id }, 'page accepted');
    res.status(200).json({});
    deps.onEnqueued(notification);
  } catch (err) {
    if (err instanceof AppError && err.code === 'limit-exceeded') {
      log.warn({ reason: err.message }, 'page refused: limit exceeded');
      res.status(400).json({ error: 'limit-exceeded' });
      return;
    }
    log.error({ err: (err as Error).message }, 'page could not be stored');
    res.status(503).json({ error: 'failed' });
  }
}
