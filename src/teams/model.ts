/**
 * Teams, schedules, rotations, overrides and escalation policies as plain data. A schedule holds
 * the time zone its rotations hand off in (as Opsgenie's schedules do), so an import keeps the
 * meaning of every hand-off time.
 */

export type LengthUnit = 'hours' | 'days' | 'weeks';

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon's numbering). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * When a rotation's shift is actually on call, in the schedule's local time. `end` at or before
 * `start` runs past midnight (22:00–06:00 is a night window). A rotation with several
 * restrictions is on call in any of them.
 */
export type Restriction =
  | { kind: 'time-of-day'; start: string; end: string }
  | { kind: 'weekday-and-time-of-day'; startDay: Weekday; start: string; endDay: Weekday; end: string };

export interface Rotation {
  id: string;
  name: string;
  /** Directory user ids, in hand-off order. */
  participants: number[];
  /** Epoch ms of the first hand-off; its wall-clock time in the schedule's zone is the hand-off time of every later shift. */
  startsAt: number;
  endsAt: number | null;
  length: number;
  unit: LengthUnit;
  restrictions: Restriction[];
}

export interface Override {
  id: string;
  userId: number;
  startsAt: number;
  endsAt: number;
  /** Null: every rotation of the schedule. */
  rotationId: string | null;
}

export interface Schedule {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  enabled: boolean;
  rotations: Rotation[];
  /** Later entries win where overrides overlap (they were added later). */
  overrides: Override[];
}

/** One stretch of one rotation with one person on call. */
export interface Shift {
  rotationId: string;
  userId: number;
  start: number;
  end: number;
  /** True when an override put this person here. */
  override: boolean;
}

export type StepTarget = { kind: 'schedule'; id: string } | { kind: 'user'; id: number } | { kind: 'team'; id: string };

export interface EscalationStep {
  afterMinutes: number;
  target: StepTarget;
}

export interface EscalationPolicy {
  id: string;
  name: string;
  teamId: string | null;
  steps: EscalationStep[];
  /** How many more times the steps run after the first pass (Opsgenie's repeat count). */
  repeat: number;
  /** Minutes after the last step's start before the steps run again. */
  repeatAfterMinutes: number;
}

export interface Team {
  id: string;
  name: string;
  description: string;
}

export interface TeamMember {
  userId: number;
  role: 'admin' | 'user';
}
