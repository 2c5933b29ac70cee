/**
 * Restrictions as people write them, shared by the CLI's `--only` and the console's rotation form:
 * "22:00-06:00" (every day), "Mon-Fri 09:00-18:00" (those days, each its own window),
 * "Sat,Sun 10:00-16:00", or one stretch across days, "Fri 18:00-Mon 09:00".
 */
import { ValidationError } from '../core/errors';
import type { Restriction, Weekday } from './model';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HM = '([01]\\d|2[0-3]):([0-5]\\d)';
const DAY = '([A-Za-z]{3})';

const dayOf = (s: string): Weekday | null => {
  const i = DAYS.indexOf(s.toLowerCase() as (typeof DAYS)[number]);
  return i < 0 ? null : ((i + 1) as Weekday);
};
const following = (d: Weekday) => ((d % 7) + 1) as Weekday;
const hm = (h: string, m: string) => `${h}:${m}`;
const refuse = (s: string) =>
  new ValidationError(`"${s}" is not a restriction such as "Mon-Fri 09:00-18:00", "22:00-06:00" or "Fri 18:00-Mon 09:00"`, 'only');

/** The days of "Mon-Fri", "Sat,Sun" or "Wed", in order; a range may wrap the week ("Fri-Mon"). */
function days(spec: string, whole: string): Weekday[] {
  const out: Weekday[] = [];
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-').map((x) => dayOf(x.trim()));
    if (a === null || b === null || part.split('-').length > 2) throw refuse(whole);
    out.push(a);
    for (let d = a; b !== undefined && d !== b;) out.push((d = following(d)));
  }
  return out;
}

/** One written restriction as the model's windows (a list of days gives one window per day). */
export function parseRestriction(text: string): Restriction[] {
  const s = text.trim().replace(/\s+/g, ' ');
  let m = new RegExp(`^${HM} ?- ?${HM}$`).exec(s);
  if (m) return [{ kind: 'time-of-day', start: hm(m[1], m[2]), end: hm(m[3], m[4]) }];
  m = new RegExp(`^${DAY} ${HM} ?- ?${DAY} ${HM}$`).exec(s);
  if (m) {
    const startDay = dayOf(m[1]);
    const endDay = dayOf(m[4]);
    if (startDay === null || endDay === null) throw refuse(text);
    return [{ kind: 'weekday-and-time-of-day', startDay, start: hm(m[2], m[3]), endDay, end: hm(m[5], m[6]) }];
  }
  m = new RegExp(`^([A-Za-z,-]+) ${HM} ?- ?${HM}$`).exec(s);
  if (!m) throw refuse(text);
  const start = hm(m[2], m[3]);
  const end = hm(m[4], m[5]);
  // A night window on a listed day ends on the next morning.
  const next = (d: Weekday) => (end <= start ? following(d) : d);
  return days(m[1], text).map((d) => ({ kind: 'weekday-and-time-of-day', startDay: d, start, endDay: next(d), end }));
}

const dayName = (d: Weekday) => DAYS[d - 1][0].toUpperCase() + DAYS[d - 1].slice(1);

/**
 * Written back so `parseRestriction` reads it again: windows of one day each that share their
 * times are listed together ("Mon,Tue,Wed 09:00-18:00"); a stretch across days stays one.
 */
export function formatRestrictions(rs: readonly Restriction[]): string[] {
  const daily = new Map<string, Weekday[]>();
  const out: string[] = [];
  for (const r of rs) {
    if (r.kind === 'time-of-day') out.push(`${r.start}-${r.end}`);
    else if (r.endDay === (r.end <= r.start ? following(r.startDay) : r.startDay)) {
      const key = `${r.start}-${r.end}`;
      daily.set(key, [...(daily.get(key) ?? []), r.startDay]);
    } else out.push(`${dayName(r.startDay)} ${r.start}-${dayName(r.endDay)} ${r.end}`);
  }
  for (const [times, ds] of daily) out.push(`${ds.map(dayName).join(',')} ${times}`);
  return out;
}
