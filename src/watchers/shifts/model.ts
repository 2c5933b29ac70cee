/**
 * The pure part of shift notices: who went on or off call between two looks, and the
 * on-call stretches read from `final_shifts` (one row per user per event, clipped to the
 * window we asked for). No I/O here, so every rule is tested with plain values.
 */
import type { FinalShift } from '../../oncall';
import { parseIsoMs } from '../../core/time';

export type NoticeKind = 'on' | 'off' | 'reminder';

/** scheduleId → user pks on call. A schedule missing from a map is unknown, not empty. */
export type OnCallSets = ReadonlyMap<string, ReadonlySet<string>>;

export interface ShiftChange {
  scheduleId: string;
  userPk: string;
  kind: 'on' | 'off';
  /** When the change was seen. */
  at: number;
}

/**
 * Who went on and off call. Only schedules present in both looks count: one we never saw
 * before is a baseline (no wave of "you are on call" on the first start), and one missing
 * now could not be read (OnCall hiccup), which says nothing about who is on call.
 */
export function changes(previous: OnCallSets, current: OnCallSets, now: number): ShiftChange[] {
  const out: ShiftChange[] = [];
  for (const [scheduleId, cur] of current) {
    const prev = previous.get(scheduleId);
    if (!prev) continue;
    for (const userPk of [...cur].sort()) if (!prev.has(userPk)) out.push({ scheduleId, userPk, kind: 'on', at: now });
    for (const userPk of [...prev].sort()) if (!cur.has(userPk)) out.push({ scheduleId, userPk, kind: 'off', at: now });
  }
  return out;
}

/** A person's uninterrupted time on call: back-to-back shifts of theirs merged into one. */
export interface Stretch {
  userPk: string;
  email: string;
  start: number;
  end: number;
  /** The start (end) is the edge of the window we asked for: the real one is earlier (later) or unknown. */
  startClipped: boolean;
  endClipped: boolean;
}

/** Merges each user's overlapping or touching shifts. `window` is what was asked for, to spot clipping. */
export function stretches(rows: readonly FinalShift[], window: { from: number; to: number }): Stretch[] {
  const parsed = rows
    .map((r) => ({ userPk: r.user_pk, email: r.user_email, start: parseIsoMs(r.shift_start), end: parseIsoMs(r.shift_end) }))
    .filter(
      (r): r is { userPk: string; email: string; start: number; end: number } => r.start !== null && r.end !== null && r.end > r.start,
    )
    .sort((a, b) => a.userPk.localeCompare(b.userPk) || a.start - b.start);
  const out: Stretch[] = [];
  for (const r of parsed) {
    const last = out[out.length - 1];
    if (last && last.userPk === r.userPk && r.start <= last.end) {
      last.end = Math.max(last.end, r.end);
      continue;
    }
    out.push({ ...r, startClipped: false, endClipped: false });
  }
  for (const s of out) {
    s.startClipped = s.start <= window.from;
    s.endClipped = s.end >= window.to;
  }
  return out.sort((a, b) => a.start - b.start || a.userPk.localeCompare(b.userPk));
}

/** The user's stretch that covers `at` (start ≤ at < end), if any. */
export function stretchAt(all: readonly Stretch[], userPk: string, at: number): Stretch | null {
  return all.find((s) => s.userPk === userPk && s.start <= at && at < s.end) ?? null;
}

/** The end of the user's latest stretch that ended in (after, at]: when an "off" really happened. */
export function lastEndBetween(all: readonly Stretch[], userPk: string, after: number, at: number): number | null {
  let best: number | null = null;
  for (const s of all)
    if (s.userPk === userPk && !s.endClipped && s.end > after && s.end <= at && (best === null || s.end > best)) best = s.end;
  return best;
}

/**
 * Stretches starting within the reminder lead (now < start ≤ now + leadMs), for people not
 * already on call in that schedule (a shift that continues theirs is not news).
 */
export function dueReminders(all: readonly Stretch[], now: number, leadMs: number, onCallNow: ReadonlySet<string>): Stretch[] {
  if (leadMs <= 0) return [];
  return all.filter((s) => !s.startClipped && s.start > now && s.start <= now + leadMs && !onCallNow.has(s.userPk));
}

/** Minute precision: what final_shifts windows and spoken times are measured in. */
export function floorMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}
