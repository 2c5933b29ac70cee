/**
 * POST api/v1/oncall/webhook: OnCall's personal-notification outgoing webhook. It names the
 * alert group, so the page is correlated exactly. OnCall never retries our status codes but
 * does retry timeouts with a fresh payload, so a repeat of the same (alert group, person)
 * within a few minutes is answered 200 and stored once.
 */
import { Router, RouterT } from '../http/express';
import type { CloudDeps } from './deps';
import { parseOnCallWebhook } from '../oncall/webhook';
import { ValidationError } from '../core/errors';
import { maskEmail } from '../core/mask';
import { LimitExceededError } from './intake';
import { BODY_LIMITS, parseBody, sendDetailBodyError } from '../http/body';

const REPEAT_WINDOW_MS = 5 * 60 * 1000;

export function oncallWebhookRouter(
  deps: Pick<CloudDeps, 'users' | 'notifications' | 'intake' | 'logger' | 'onEnqueued' | 'now'>,
): RouterT {
  const r = Router({ strict: false });
  r.post('/api/v1/oncall/webhook', parseBody(BODY_LIMITS.oncallWebhook, sendDetailBodyError), async (req, res) => {
    let parsed;
    try {
      parsed = parseOnCallWebhook(req.body);
    } catch (e) {
      if (e instanceof ValidationError) {
        res.status(400).json({ error: 'invalid', detail: e.message });
        return;
      }
      throw e;
    }
    if (!parsed.email) {
      res.status(400).json({ error: 'invalid', detail: 'user.email is required to find the person in the directory' });
      return;
    }
    const user = await deps.users.getByEmail(parsed.email);
    if (!user) {
      deps.logger.info({ email: maskEmail(parsed.email) }, 'webhook page refused: user not found');
      res.status(404).json({ error: 'user-not-found' });
      return;
    }
    // The same answers as make_call: this page rings the phone too.
    const refused = deps.intake.refusal('webhook', user);
    if (refused?.status === 'number-not-verified') {
      res.status(400).json({ error: 'number-not-verified' });
      return;
    }
    if (refused?.status === 'failed') {
      deps.logger.warn({ email: maskEmail(parsed.email), reason: refused.reason }, 'webhook page refused: no channel can deliver it');
      res.status(503).json({ error: 'failed' });
      return;
    }
    // One key per (alert group, person, 5-minute slot) and a look back over the previous slot.
    const slot = Math.floor(deps.now() / REPEAT_WINDOW_MS);
    const key = (s: number) => `oncall-webhook:${parsed.alertGroupId}:${user.id}:${s}`;
    const earlier = await deps.notifications.findByDedupeKey(key(slot - 1));
    if (earlier && deps.now() - earlier.receivedAt < REPEAT_WINDOW_MS) {
      res.status(200).json({ status: 'duplicate', notification: earlier.id });
      return;
    }
    try {
      const { notification, created } = await deps.notifications.enqueue(
        {
          kind: 'webhook',
          source: 'oncall-webhook',
          userId: user.id,
          email: user.email,
          message: (parsed.message ?? parsed.title ?? 'OnCall alert group').slice(0, 1024),
          payload: { title: parsed.title ?? null, integration: parsed.integration ?? null, alertGroup: parsed.alertGroup ?? null },
          alertGroupId: parsed.alertGroupId,
          correlation: 'exact',
          dedupeKey: key(slot),
        },
        deps.intake.dailyGuard(user.id, 'webhook'),
      );
      deps.logger.info({ notification: notification.id, created }, created ? 'webhook page accepted' : 'webhook page repeated');
      res.status(200).json({ status: created ? 'accepted' : 'duplicate', notification: notification.id });
      if (created) deps.onEnqueued(notification);
    } catch (e) {
      if (e instanceof LimitExceededError) {
        deps.logger.warn({ email: maskEmail(parsed.email), limit: e.limit }, 'webhook page refused: daily limit reached');
        res.status(400).json({ error: 'limit-exceeded' });
        return;
      }
      deps.logger.error({ err: (e as Error).message }, 'webhook page could not be stored');
      res.status(503).json({ error: 'failed' });
    }
  });
  return r;
}
