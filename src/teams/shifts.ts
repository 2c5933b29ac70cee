/**
 * A rotation's shifts, computed with luxon in the schedule's own time zone. Daily and weekly
 * lengths add calendar days to the first hand-off's wall-clock time, so a 09:00 hand-off stays at
 * 09:00 local across daylight-saving changes (and such a shift is 23 or 25 hours long); hourly
 * lengths add real hours. A hand-off time that does not exist on a spring-forward day moves to
 * the first valid instant after the gap, so it still hands off exactly once.
 */
import { DateTime } from 'luxon';
import type { Restriction, Rotation } from './model';
import { intersectAll, union, type Interval } from './intervals';

/** Epoch ms of the k-th hand-off (k = 0 is the first). */
export function handOff(rot: Rotation, zone: string, k: number): number {
  return DateTime.fromMillis(rot.startsAt, { zone })
    .plus({ [rot.unit]: k * rot.length })
    .toMillis();
}

const NOMINAL_MS = { hours: 3_600_000, days: 86_400_000, weeks: 7 * 86_400_000 } as const;

/** The index of the shift that holds `t` (may be negative before the first hand-off). */
export function shiftIndexAt(rot: Rotation, zone: string, t: number): number {
  // The nominal guess is off by at most an hour per DST change; walk to the exact shift.
  let k = Math.floor((t - rot.startsAt) / (NOMINAL_MS[rot.unit] * rot.length));
  while (handOff(rot, zone, k) > t) k--;
  while (handOff(rot, zone, k + 1) <= t) k++;
  return k;
}

export interface RawShift extends Interval {
  userId: number;
}

/** Shifts overlapping [from, to), before restrictions, clipped to the rotation's own start and end. */
export function rawShifts(rot: Rotation, zone: string, from: number, to: number): RawShift[] {
  const n = rot.participants.length;
  if (n === 0 || rot.length <= 0) return [];
  const lo = Math.max(from, rot.startsAt);
  const hi = Math.min(to, rot.endsAt ?? Number.POSITIVE_INFINITY);
  if (lo >= hi) return [];
  const out: RawShift[] = [];
  for (let k = shiftIndexAt(rot, zone, lo); ; k++) {
    const start = handOff(rot, zone, k);
    if (start >= hi) break;
    const end = handOff(rot, zone, k + 1);
    const userId = rot.participants[((k % n) + n) % n];
    out.push({ start: Math.max(start, lo), end: Math.min(end, hi), userId });
  }
  return out;
}

function parseHm(s: string): { hour: number; minute: number } {
  const [hour, minute] = s.split(':').map(Number);
  return { hour, minute };
}

/** Local date + "HH:mm" in the zone, as epoch ms (luxon moves a time in a DST gap forward). */
function at(day: DateTime, hm: string): number {
  return day.set({ ...parseHm(hm), second: 0, millisecond: 0 }).toMillis();
}

/** The restriction windows overlapping [from, to). */
export function restrictionWindows(restrictions: Restriction[], zone: string, from: number, to: number): Interval[] {
  const windows: Interval[] = [];
  // A window may begin up to a week before `from` (weekday windows) and still reach into it.
  let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 7 });
  const last = DateTime.fromMillis(to, { zone }).startOf('day');
  for (; day <= last; day = day.plus({ days: 1 })) {
    for (const r of restrictions) {
      if (r.kind === 'time-of-day') {
        const wraps = r.end <= r.start;
        windows.push({ start: at(day, r.start), end: at(wraps ? day.plus({ days: 1 }) : day, r.end) });
      } else if (day.weekday === r.startDay) {
        let span = (r.endDay - r.startDay + 7) % 7;
        if (span === 0 && r.end <= r.start) span = 7;
        windows.push({ start: at(day, r.start), end: at(day.plus({ days: span }), r.end) });
      }
    }
  }
  return union(windows.filter((w) => w.start < to && w.end > from && w.start < w.end));
}

/** Shifts with restrictions applied: only the parts inside some window remain. */
export function restrictedShifts(rot: Rotation, zone: string, from: number, to: number): RawShift[] {
  const raw = rawShifts(rot, zone, from, to);
  if (rot.restrictions.length === 0) return raw;
  const windows = restrictionWindows(rot.restrictions, zone, from, to);
  return raw.flatMap((s) => intersectAll(s, windows).map((i) => ({ ...i, userId: s.userId })));
}
