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

/** True when luxon knows the IANA zone name (e.g. `Europe/Berlin`). */
export function isValidZone(zone: string | null | undefined): boolean {
  return !!zone && DateTime.now().setZone(zone).isValid;
}

/** A wall-clock moment in someone's zone, in the pieces a sentence is built from. */
export interface LocalMoment {
  /** `09:00`, 24-hour. */
  time: string;
  /** 1 = Monday … 7 = Sunday (ISO), in the zone. */
  weekday: number;
  /** Calendar days from the reference moment's local date to this one's (0 = same day), in the zone. */
  daysFrom: number;
  /** `2 November` / `2 ноября` (the month in the genitive, as Russian dates need). */
  date: string;
}

/**
 * The moment `ms` as read on a clock in `zone`. Day differences are counted on local
 * calendar dates, so a 25-hour day at the end of summer time is still "tomorrow".
 */
export function localMoment(ms: number, refMs: number, zone: string, lang: TimeLang): LocalMoment {
  const z = isValidZone(zone) ? zone : 'utc';
  const at = DateTime.fromMillis(ms, { zone: z }).setLocale(lang);
  const ref = DateTime.fromMillis(refMs, { zone: z });
  const days = at.startOf('day').diff(ref.startOf('day'), 'days').days;
  return { time: at.toFormat('HH:mm'), weekday: at.weekday, daysFrom: Math.round(days), date: at.toFormat('d MMMM') };
}

/**
 * "in 15 minutes" / "через 15 минут", rounded to the nearest minute (a reminder sent at
 * 08:45:02 for 09:00 says 15, not 14); hours from two hours on, days from two days on.
 */
export function untilText(thenMs: number, nowMs: number, lang: TimeLang): string {
  const minutes = Math.max(1, Math.round((thenMs - nowMs) / MINUTE));
  const unit = minutes < 120 ? 'minutes' : minutes < 48 * 60 ? 'hours' : 'days';
  const size = unit === 'minutes' ? 1 : unit === 'hours' ? 60 : 1440;
  const rounded = Math.round(minutes / size) * size;
  const base = DateTime.fromMillis(nowMs);
  return base.plus({ minutes: rounded }).toRelative({ base, locale: lang, unit }) ?? '';
}
