/** The text of an SMS or push built from one or more queued pages. */
import type { Notification } from '../db/notifications-repo';
import { pluralIndex } from '../core/plural';

const SMS_MAX = 600;
/** A bundle names this many alerts and counts the rest: a phone screen, not a report. */
export const BUNDLE_ITEMS = 3;

type Lang = 'en' | 'ru';

const WORDS: Record<Lang, { alerts: readonly [string, string, string]; more: (n: number) => string }> = {
  en: { alerts: ['alert', 'alerts', 'alerts'], more: (n) => `and ${n} more` },
  ru: { alerts: ['алерт', 'алерта', 'алертов'], more: (n) => `и ещё ${n}` },
};

/**
 * One page as received; several as a numbered list of the first few, then "and N more" with
 * a link to the whole list when there is one. The link comes last so it is never cut.
 */
export function composeSms(rows: Notification[], opts: { lang?: Lang; listUrl?: string } = {}): string {
  if (rows.length === 1) return rows[0].message.slice(0, SMS_MAX);
  const w = WORDS[opts.lang ?? 'en'];
  const shown = rows.slice(0, BUNDLE_ITEMS);
  const rest = rows.length - shown.length;
  const tail = rest > 0 ? ` ${w.more(rest)}${opts.listUrl ? `: ${opts.listUrl}` : ''}` : '';
  const head = `${rows.length} ${w.alerts[pluralIndex(rows.length, opts.lang ?? 'en')]}:`;
  const room = SMS_MAX - head.length - tail.length;
  const each = Math.max(40, Math.floor(room / shown.length) - 4);
  const lines = shown.map((r, i) => `${i + 1}) ${r.message.replace(/\s+/g, ' ').slice(0, each)}`);
  return `${`${head} ${lines.join(' ')}`.slice(0, Math.max(0, room + head.length))}${tail}`;
}

export function pushTitle(n: Notification): string {
  const p = n.payload as { data?: { title?: string }; apns_alert?: { title?: string } } | null;
  return p?.data?.title || p?.apns_alert?.title || n.message.split('\n')[0].slice(0, 120) || 'dozvon';
}
