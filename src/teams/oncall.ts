/**
 * Who is on call: pure functions over a schedule's rotations and overrides. An override wins over
 * the rotation for its whole period, restrictions included ("I take tonight" covers a night the
 * rotation leaves empty), and a later override wins over an earlier one.
 */
import type { Override, Schedule, Shift } from './model';
import { restrictedShifts } from './shifts';
import { subtract, type Interval } from './intervals';

function covers(o: Override, rotationId: string): boolean {
  return o.rotationId === null || o.rotationId === rotationId;
}

/** Every rotation's shifts over [from, to), overrides applied, sorted by rotation order then start. */
export function timeline(s: Schedule, from: number, to: number): Shift[] {
  const out: Shift[] = [];
  for (const rot of s.rotations) {
    let pieces: Shift[] = restrictedShifts(rot, s.timeZone, from, to).map((r) => ({ ...r, rotationId: rot.id, override: false }));
    for (const o of s.overrides) {
      if (!covers(o, rot.id)) continue;
      const cut: Interval = { start: Math.max(o.startsAt, from), end: Math.min(o.endsAt, to) };
      if (cut.start >= cut.end) continue;
      pieces = pieces.flatMap((p) => subtract(p, cut).map((i) => ({ ...p, ...i })));
      pieces.push({ rotationId: rot.id, userId: o.userId, start: cut.start, end: cut.end, override: true });
    }
    out.push(...pieces.sort((a, b) => a.start - b.start));
  }
  return out;
}

/** The people on call at `t`, in rotation order, each once. Empty when the schedule is disabled. */
export function onCallAt(s: Schedule, t: number): number[] {
  if (!s.enabled) return [];
  const ids = timeline(s, t, t + 1).map((x) => x.userId);
  return [...new Set(ids)];
}

export interface NextOnCall {
  at: number;
  userIds: number[];
}

/**
 * The next change after `t` within `horizonMs`: when it happens and who is on call from then.
 * Null when nothing changes in that time (or the schedule is disabled).
 */
export function nextOnCall(s: Schedule, t: number, horizonMs: number): NextOnCall | null {
  if (!s.enabled) return null;
  const now = onCallAt(s, t);
  const edges = [...new Set(timeline(s, t, t + horizonMs).flatMap((x) => [x.start, x.end]))].filter((e) => e > t).sort((a, b) => a - b);
  for (const e of edges) {
    const then = onCallAt(s, e);
    if (then.length !== now.length || then.some((id, i) => id !== now[i])) return { at: e, userIds: then };
  }
  return null;
}
