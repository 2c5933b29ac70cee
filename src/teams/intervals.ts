/** Half-open time intervals [start, end) in epoch ms, kept sorted and disjoint by the callers. */

export interface Interval {
  start: number;
  end: number;
}

/** The parts of `a` inside any of `bs` (bs sorted, disjoint). */
export function intersectAll(a: Interval, bs: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const b of bs) {
    const start = Math.max(a.start, b.start);
    const end = Math.min(a.end, b.end);
    if (start < end) out.push({ start, end });
  }
  return out;
}

/** The parts of `a` outside `b`: none, one or two pieces. */
export function subtract(a: Interval, b: Interval): Interval[] {
  if (b.end <= a.start || b.start >= a.end) return [a];
  const out: Interval[] = [];
  if (a.start < b.start) out.push({ start: a.start, end: b.start });
  if (b.end < a.end) out.push({ start: b.end, end: a.end });
  return out;
}

/** Sorted, overlapping or touching intervals merged. */
export function union(xs: Interval[]): Interval[] {
  const sorted = [...xs].sort((p, q) => p.start - q.start);
  const out: Interval[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) last.end = Math.max(last.end, x.end);
    else out.push({ ...x });
  }
  return out;
}
