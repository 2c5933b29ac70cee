/**
 * What an Opsgenie export becomes here, worked out before anything is written, so the operator
 * sees it first: people, teams, schedules with rotations and overrides, escalation policies, and
 * every part that has no equivalent here, named rather than silently dropped.
 */
import { DateTime } from 'luxon';
import type { OverrideInput, PolicyInput, RotationInput, StepTargetInput } from '../input';
import type { Restriction, Weekday } from '../model';
import type { OgEscalation, OgParticipant, OgRotation, OgSchedule, OgTimeOfDay, OpsgenieExport } from './shapes';

export type Status = 'create' | 'update' | 'exists';

export interface ImportPlan {
  people: { email: string; name: string; timezone?: string; status: Status }[];
  teams: { name: string; description: string; status: Status; members: { email: string; role: 'admin' | 'user' }[] }[];
  schedules: {
    name: string;
    team: string | null;
    timeZone: string;
    enabled: boolean;
    status: Status;
    rotations: RotationInput[];
    overrides: OverrideInput[];
  }[];
  policies: (PolicyInput & { status: Status })[];
  unsupported: string[];
}

/** What is already here, by lower-cased name or email. */
export interface Existing {
  emails: Set<string>;
  teams: Set<string>;
  schedules: Set<string>;
  policies: Set<string>;
}

const UNITS: Record<string, RotationInput['unit']> = { hourly: 'hours', daily: 'days', weekly: 'weeks' };
const DAYS: Record<string, Weekday> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };
const MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 1440 };

const lc = (s: string) => s.trim().toLowerCase();
const hm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
const status = (set: Set<string>, name: string, ifThere: Status = 'update'): Status => (set.has(lc(name)) ? ifThere : 'create');

function epoch(iso: string): number | null {
  const d = DateTime.fromISO(iso, { setZone: true });
  return d.isValid ? d.toMillis() : null;
}

export function planImport(x: OpsgenieExport, have: Existing, now: number): ImportPlan {
  const unsupported: string[] = [];
  const known = new Set([...have.emails, ...x.users.map((u) => lc(u.username))]);
  const person = (p: OgParticipant, where: string): string | null => {
    if (p.type === 'user' && p.username && known.has(lc(p.username))) return lc(p.username);
    if (p.type === 'user') unsupported.push(`${where}: user ${p.username ?? p.id} is not in users.json nor here; left out`);
    else if (p.type === 'none') unsupported.push(`${where}: an empty turn ("none" participant) is left out`);
    else unsupported.push(`${where}: ${p.type} ${p.name ?? p.id} as a participant is left out (only people take turns here)`);
    return null;
  };

  const people = x.users.map((u) => ({
    email: lc(u.username),
    name: u.fullName?.trim() || u.username,
    ...(u.timeZone ? { timezone: u.timeZone } : {}),
    status: status(have.emails, u.username, 'exists'),
  }));

  const teams = x.teams.map((t) => {
    if (!t.members) unsupported.push(`team ${t.name}: team-${t.name}.json is missing, so its members are not imported`);
    const members = (t.members ?? []).flatMap((m) => {
      const email = person({ type: 'user', ...m.user }, `team ${t.name}`);
      if (!email) return [];
      if (m.role !== 'admin' && m.role !== 'user')
        unsupported.push(`team ${t.name}: ${email} has the custom role "${m.role}"; imported as user`);
      return [{ email, role: m.role === 'admin' ? ('admin' as const) : ('user' as const) }];
    });
    return { name: t.name, description: t.description ?? '', status: status(have.teams, t.name), members };
  });

  const schedules = x.schedules.map((s) => {
    const rotations = (s.rotations ?? []).flatMap((r) => rotationOf(s, r, person, unsupported));
    const overrides = overridesOf(s, x, now, person, unsupported);
    return {
      name: s.name,
      team: s.ownerTeam?.name ?? null,
      timeZone: s.timezone ?? 'UTC',
      enabled: s.enabled ?? true,
      status: status(have.schedules, s.name),
      rotations,
      overrides,
    };
  });

  // A team, schedule or policy named but neither imported nor here would fail the whole import.
  const teamNames = new Set([...have.teams, ...x.teams.map((t) => lc(t.name))]);
  const scheduleNames = new Set([...have.schedules, ...x.schedules.map((s) => lc(s.name))]);
  for (const s of schedules) {
    if (s.team && !teamNames.has(lc(s.team))) {
      unsupported.push(`schedule ${s.name}: owner team ${s.team} is not in teams.json nor here; imported without a team`);
      s.team = null;
    }
  }
  const policies = x.escalations.flatMap((e) => {
    const p = policyOf(e, person, unsupported);
    if (p.team && !teamNames.has(lc(p.team))) {
      unsupported.push(`escalation ${e.name}: owner team ${p.team} is not in teams.json nor here; imported without a team`);
      p.team = null;
    }
    p.steps = p.steps.filter((st) => {
      const t = st.target;
      if (t.kind === 'user' || (t.kind === 'team' ? teamNames : scheduleNames).has(lc(t.name))) return true;
      unsupported.push(`escalation ${e.name}: ${t.kind} ${t.name} is not in the export nor here; step left out`);
      return false;
    });
    if (!p.steps.length) {
      unsupported.push(`escalation ${e.name}: no step left; escalation left out`);
      return [];
    }
    return [{ ...p, status: status(have.policies, e.name) }];
  });
  return { people, teams, schedules, policies, unsupported };
}

type Person = (p: OgParticipant, where: string) => string | null;

function rotationOf(s: OgSchedule, r: OgRotation, person: Person, unsupported: string[]): RotationInput[] {
  const where = `schedule ${s.name}, rotation ${r.name}`;
  const unit = UNITS[r.type];
  const startsAt = epoch(r.startDate);
  if (!unit || startsAt === null) {
    unsupported.push(`${where}: type "${r.type}" or start "${r.startDate}" is not understood; rotation left out`);
    return [];
  }
  const participants = (r.participants ?? []).map((p) => person(p, where)).filter((e): e is string => e !== null);
  if (!participants.length) {
    unsupported.push(`${where}: nobody left to take turns; rotation left out`);
    return [];
  }
  return [
    {
      name: r.name,
      participants,
      startsAt,
      endsAt: r.endDate ? epoch(r.endDate) : null,
      length: r.length ?? 1,
      unit,
      restrictions: restrictionsOf(r, where, unsupported),
    },
  ];
}

function restrictionsOf(r: OgRotation, where: string, unsupported: string[]): Restriction[] {
  const t = r.timeRestriction;
  if (!t) return [];
  const tod = (x: OgTimeOfDay) => ({ start: hm(x.startHour, x.startMin), end: hm(x.endHour, x.endMin) });
  if (t.type === 'time-of-day' && t.restriction) return [{ kind: 'time-of-day', ...tod(t.restriction) }];
  if (t.type === 'weekday-and-time-of-day' && t.restrictions?.every((x) => DAYS[x.startDay] && DAYS[x.endDay])) {
    return t.restrictions.map((x) => ({ kind: 'weekday-and-time-of-day', startDay: DAYS[x.startDay], endDay: DAYS[x.endDay], ...tod(x) }));
  }
  unsupported.push(`${where}: time restriction "${t.type}" is not understood; imported without it (on call around the clock)`);
  return [];
}

function overridesOf(s: OgSchedule, x: OpsgenieExport, now: number, person: Person, unsupported: string[]): OverrideInput[] {
  const list = x.overrides.get(s.name) ?? x.overrides.get(s.id) ?? [];
  return list.flatMap((o) => {
    const where = `schedule ${s.name}, override ${o.alias ?? o.startDate}`;
    const startsAt = epoch(o.startDate);
    const endsAt = epoch(o.endDate);
    // Overrides already over are history, not something to keep.
    if (startsAt === null || endsAt === null || endsAt <= now) return [];
    const user = person(o.user, where);
    if (!user) return [];
    const rotations = o.rotations?.length ? o.rotations.map((r) => r.name ?? r.id ?? null) : [null];
    return rotations.map((rotation) => ({ user, startsAt: Math.max(startsAt, now), endsAt, rotation }));
  });
}

type PlannedPolicy = PolicyInput & { steps: { afterMinutes: number; target: StepTargetInput }[] };

function policyOf(e: OgEscalation, person: Person, unsupported: string[]): PlannedPolicy {
  const steps = [...e.rules]
    .sort((a, b) => delayOf(a.delay) - delayOf(b.delay))
    .flatMap((rule, i) => {
      const where = `escalation ${e.name}, rule ${i + 1}`;
      if (rule.condition && rule.condition !== 'if-not-acked')
        unsupported.push(`${where}: condition "${rule.condition}" is run as if-not-acked`);
      if (rule.notifyType && rule.notifyType !== 'default')
        unsupported.push(`${where}: notifyType "${rule.notifyType}" is run as default (the one on call now)`);
      const r = rule.recipient;
      let target: StepTargetInput | null = null;
      if (r.type === 'user') {
        const email = person(r, where);
        target = email ? { kind: 'user', email } : null;
      } else if (r.type === 'schedule' && r.name) target = { kind: 'schedule', name: r.name };
      else if (r.type === 'team' && r.name) target = { kind: 'team', name: r.name };
      else unsupported.push(`${where}: recipient ${r.type} ${r.name ?? r.id} is left out`);
      return target ? [{ afterMinutes: delayOf(rule.delay), target }] : [];
    });
  const rep = e.repeat;
  if (rep?.resetRecipientStates) unsupported.push(`escalation ${e.name}: resetRecipientStates is not supported`);
  if (rep?.closeAlertAfterAll) unsupported.push(`escalation ${e.name}: closeAlertAfterAll is not supported`);
  return { name: e.name, team: e.ownerTeam?.name ?? null, steps, repeat: rep?.count ?? 0, repeatAfterMinutes: rep?.waitInterval ?? 0 };
}

function delayOf(d: { timeAmount?: number; timeUnit?: string } | undefined): number {
  return (d?.timeAmount ?? 0) * (MINUTES[d?.timeUnit ?? 'minutes'] ?? 1);
}
