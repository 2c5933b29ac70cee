/** The text of an SMS or push built from one or more queued pages. */
import type { Notification } from '../db/notifications-repo';

const SMS_MAX = 600;

/** One page as received; several as a numbered list that stays short enough for a few SMS parts. */
export function composeSms(rows: Notification[]): string {
  if (rows.length === 1) return rows[0].message.slice(0, SMS_MAX);
  const each = Math.max(60, Math.floor((SMS_MAX - 20) / rows.length));
  const lines = rows.map((r, i) => `${i + 1}) ${r.message.replace(/\s+/g, ' ').slice(0, each)}`);
  return `${rows.length} alerts: ${lines.join(' ')}`.slice(0, SMS_MAX);
}

export function pushTitle(n: Notification): string {
  const p = n.payload as { data?: { title?: string }; apns_alert?: { title?: string } } | null;
  return p?.data?.title || p?.apns_alert?.title || n.message.split('\n')[0].slice(0, 120) || 'dozvon';
}
