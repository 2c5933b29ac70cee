/**
 * POST mobile_app/v1/fcm_relay: OnCall's push relay. The device tokens belong to Grafana's
 * Firebase project, so we cannot push to them; we accept the relay (a 4xx stops the engine,
 * a 5xx makes it retry 10 times) and turn it into our own push keyed by data.alertGroupId.
 * The registration token is stored only as a short hash ("device key") that an operator can
 * map to a person through the user's contacts (`contacts.fcm_device`).
 */
import { createHash } from 'node:crypto';
import { Router, RouterT } from '../http/express';
import type { CloudDeps } from './deps';
import { bodyObject } from './fields';
import { LimitExceededError } from './intake';
import { BODY_LIMITS, parseBody, sendDetailBodyError } from '../http/body';

export function deviceKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export function fcmRelayRouter(deps: Pick<CloudDeps, 'notifications' | 'users' | 'intake' | 'logger' | 'onEnqueued'>): RouterT {
  const r = Router({ strict: false });
  r.post('/mobile_app/v1/fcm_relay', parseBody(BODY_LIMITS.oncallPush, sendDetailBodyError), async (req, res) => {
    if (!req.is('application/json')) {
      res.status(400).json({ detail: 'Expected a JSON body (Content-Type: application/json).' });
      return;
    }
    const body = bodyObject(req.body);
    for (const key of ['token', 'data', 'apns'] as const) {
      if (body[key] === undefined || body[key] === null) {
        res.status(400).json({ detail: `Missing field: ${key}.` });
        return;
      }
    }
    if (typeof body.token !== 'string' || body.token.length === 0 || body.token.length > 4096) {
      res.status(400).json({ detail: 'token must be a non-empty string.' });
      return;
    }
    if (typeof body.data !== 'object' || Array.isArray(body.data)) {
      res.status(400).json({ detail: 'data must be an object.' });
      return;
    }
    const data = body.data as Record<string, unknown>;
    const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
    const alertGroupId = /^I[A-NP-Z1-9]{12,16}$/.test(str(data.alertGroupId, 20)) ? str(data.alertGroupId, 20) : null;
    const device = deviceKey(body.token);
    const owner = await findDeviceOwner(deps, device);
    const title = str(data.title, 300);
    const subtitle = str(data.subtitle, 700);
    try {
      const { notification } = await deps.notifications.enqueue(
        {
          kind: 'push',
          source: 'oncall-fcm-relay',
          userId: owner?.id ?? null,
          email: owner?.email ?? '',
          message: [title, subtitle].filter(Boolean).join('\n').slice(0, 1024) || 'OnCall notification',
          // Keep what a push needs; drop the device token itself.
          payload: { device, data: pickStrings(data), apns_alert: apnsAlert(body.apns) },
          alertGroupId,
          correlation: alertGroupId ? 'exact' : null,
        },
        owner ? deps.intake.dailyGuard(owner.id, 'push') : undefined,
      );
      deps.logger.info({ notification: notification.id, device, routed: Boolean(owner) }, 'push relay accepted');
      res.status(200).json({});
      deps.onEnqueued(notification);
    } catch (err) {
      // A 4xx: the engine records the failure and does not retry (a 5xx would be retried 10 times).
      if (err instanceof LimitExceededError) {
        deps.logger.warn({ device, limit: err.limit }, 'push relay refused: daily limit reached');
        res.status(400).json({ error: 'limit-exceeded', detail: err.message });
        return;
      }
      deps.logger.error({ err: (err as Error).message }, 'push relay could not be stored');
      res.status(503).json({ detail: 'failed' });
    }
  });
  return r;
}

async function findDeviceOwner(deps: Pick<CloudDeps, 'users'>, device: string) {
  const { users } = await deps.users.list({ limit: 10000 });
  return users.find((u) => u.contacts.fcm_device === device) ?? null;
}

function pickStrings(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data).slice(0, 50)) if (typeof v === 'string') out[k.slice(0, 64)] = v.slice(0, 1000);
  return out;
}

function apnsAlert(apns: unknown): { title?: string; body?: string } {
  const alert = (apns as { payload?: { aps?: { alert?: unknown } } })?.payload?.aps?.alert;
  if (alert && typeof alert === 'object') {
    const a = alert as Record<string, unknown>;
    return {
      title: typeof a.title === 'string' ? a.title.slice(0, 300) : undefined,
      body: typeof a.body === 'string' ? a.body.slice(0, 700) : undefined,
    };
  }
  return {};
}
