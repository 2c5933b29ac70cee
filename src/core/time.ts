/**
 * The only file that imports luxon. Spoken and written times for people: relative times
 * ("5 minutes ago", "5 минут назад") and OnCall's query-string timestamps.
 */
import { DateTime } from 'luxon';

export type TimeLang = 'en' | 'ru';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * "5 minutes ago" / "5 минут назад". A listener wants one number they can picture, so we pick
 * the unit ourselves (luxon would say "1 hour ago" for 119 minutes): minutes up to two hours,
 * hours up to two days, then days. Under a minute is "just now".
 */
export function relativeTime(thenMs: number, nowMs: number, lang: TimeLang): string {
  const diff = Math.max(0, nowMs - thenMs);
  if (diff < MINUTE) return lang === 'ru' ? 'только что' : 'just now';
  const base = DateTime.fromMillis(nowMs);
  const then = DateTime.fromMillis(nowMs - diff);
  const unit = diff < 2 * HOUR ? 'minutes' : diff < 48 * HOUR ? 'hours' : 'days';
  // toRelative truncates toward zero within the chosen unit: 5m59s is "5 minutes ago".
  return then.toRelative({ base, locale: lang, unit }) ?? '';
}

/** OnCall's `started_at` range bound: UTC, `%Y-%m-%dT%H:%M:%S`, no zone suffix. */
export function oncallTimestamp(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyy-LL-dd'T'HH:mm:ss");
}

/** OnCall's `final_shifts` date: `YYYY-MM-DDTHH:MM` in UTC. */
export function oncallMinute(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** Parses an ISO timestamp from OnCall (with Z or +00:00); null when absent or malformed. */
export function parseIsoMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const dt = DateTime.fromISO(iso, { setZone: true });
  return dt.isValid ? dt.toMillis() : null;
}
