/**
 * OnCall's personal-notification outgoing webhook (docs/oncall.md): unlike make_call
 * it names the alert group, so correlation is exact. Pure function; the route only stores.
 */
import { ValidationError } from '../core/errors';
import type { AlertGroup } from './types';

export interface OnCallWebhookNotification {
  alertGroupId: string;
  /** The user being notified (the join key to our directory). */
  email?: string;
  /** Their OnCall user pk. */
  userId?: string;
  title?: string;
  /** A short text to store as the notification's message (integration and title). */
  message?: string;
  /** The alert-group object, when the payload carried one. */
  alertGroup?: AlertGroup;
  integration?: string;
}

const PK = /^I[A-NP-Z1-9]{12,16}$/;

/** Returns the notification or throws a ValidationError saying what is missing. */
export function parseOnCallWebhook(body: unknown): OnCallWebhookNotification {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('expected a JSON object (set the webhook to POST with "forward all" on)');
  }
  const b = body as Record<string, unknown>;
  const group = isObject(b.alert_group) ? (b.alert_group as Record<string, unknown>) : null;
  const id = str(b.alert_group_id) ?? str(group?.id);
  if (!id)
    throw new ValidationError('alert_group_id is missing (is this a personal-notification webhook with forward_all?)', 'alert_group_id');
  if (!PK.test(id)) throw new ValidationError(`alert_group_id "${id.slice(0, 40)}" is not an OnCall alert-group pk`, 'alert_group_id');
  const eventType = isObject(b.event) ? str((b.event as Record<string, unknown>).type) : undefined;
  if (eventType !== undefined && eventType !== 'personal notification') {
    throw new ValidationError(`event.type is "${eventType}"; only the "personal notification" trigger pages people`, 'event.type');
  }
  const user = isObject(b.user) ? (b.user as Record<string, unknown>) : null;
  const email = str(user?.email);
  const userId = str(user?.id);
  if (!email && !userId) throw new ValidationError('user.email is missing: cannot tell who is to be notified', 'user.email');
  const payload = isObject(b.alert_payload) ? (b.alert_payload as Record<string, unknown>) : null;
  const title = str(group?.title) ?? str(payload?.title);
  const integration = isObject(b.integration) ? str((b.integration as Record<string, unknown>).name) : undefined;
  const message =
    [integration ? `Alert via ${integration}` : undefined, title ? `with title ${title}` : undefined].filter(Boolean).join(' ') ||
    undefined;
  return {
    alertGroupId: id,
    ...(email ? { email: email.toLowerCase() } : {}),
    ...(userId ? { userId } : {}),
    ...(title ? { title } : {}),
    ...(message ? { message } : {}),
    ...(integration ? { integration } : {}),
    ...(group && str(group.id) === id ? { alertGroup: group as unknown as AlertGroup } : {}),
  };
}

function isObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
