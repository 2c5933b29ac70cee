/**
 * POST api/v1/make_call and api/v1/send_sms. The notification is committed to the queue
 * before the 200, so an accepted page survives a crash. Every non-200 is JSON: a non-JSON
 * 400 makes the engine retry forever (it parses a 400's JSON outside its error handling).
 */
import { Router, RouterT } from '../http/express';
import type { JsonAnswer } from '../http/answer';
import type { CloudDeps } from './deps';
import { maskEmail } from '../core/mask';
import { BODY_LIMITS, parseBody, sendDetailBodyError } from '../http/body';
import { bodyObject, emailField, FieldErrors, hasErrors, stringField } from './fields';
import type { PageOutcome } from './intake';

export const MAX_MESSAGE = 1024;

export function notifyRouter(deps: CloudDeps): RouterT {
  const r = Router({ strict: false });
  r.post('/api/v1/make_call', parseBody(BODY_LIMITS.oncallForm, sendDetailBodyError), (req, res) =>
    acceptPage(deps, 'call', req.body, res),
  );
  r.post('/api/v1/send_sms', parseBody(BODY_LIMITS.oncallForm, sendDetailBodyError), (req, res) => acceptPage(deps, 'sms', req.body, res));
  return r;
}

/** The page's answer from its parsed body (undefined: a content type the route does not read); the direct routes share it. */
export async function acceptPage(deps: CloudDeps, kind: 'call' | 'sms', parsed: unknown, res: JsonAnswer): Promise<void> {
  const body = bodyObject(parsed);
  const errors: FieldErrors = {};
  const email = emailField(body, errors);
  const message = stringField(body, 'message', errors, { max: MAX_MESSAGE });
  if (hasErrors(errors)) {
    res.status(400).json(errors);
    return;
  }
  // Fields on each line rather than a child logger per request: a child costs more than the line.
  const who = { kind, email: maskEmail(email) };
  let outcome: PageOutcome;
  try {
    outcome = await deps.intake.accept({ kind, email: email!, message: message!, source: 'oncall-cloud' });
  } catch (err) {
    deps.logger.error({ ...who, err: (err as Error).message }, 'page could not be stored');
    res.status(503).json({ error: 'failed' });
    return;
  }
  switch (outcome.status) {
    case 'accepted':
      deps.logger.info({ ...who, notification: outcome.notification.id }, 'page accepted');
      res.status(200).json({});
      deps.onEnqueued(outcome.notification);
      return;
    case 'user-not-found':
      deps.logger.info(who, 'page refused: user not found');
      res.status(404).json({ error: 'user-not-found' });
      return;
    case 'number-not-verified':
      deps.logger.info(who, 'page refused: no verified number');
      res.status(400).json({ error: 'number-not-verified' });
      return;
    case 'failed':
      // OnCall reads 503 {"error":"failed"} as a provider failure and logs that it could not notify.
      deps.logger.warn({ ...who, reason: outcome.reason }, 'page refused: no channel can deliver it');
      res.status(503).json({ error: 'failed' });
      return;
    case 'limit-exceeded':
      deps.logger.warn({ ...who, limit: outcome.limit }, 'page refused: daily limit reached');
      res.status(400).json({ error: 'limit-exceeded' });
      return;
  }
}
