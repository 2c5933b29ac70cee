/**
 * The one place that changes teams, schedules, rotations, overrides and escalation policies. The
 * console, the CLI and the Opsgenie import parse their input, call this with who they act for,
 * and render the answer; each change and its audit entry commit together. Reads need no actor.
 */
import type { Db, Tx } from '../db/knex';
import type { AuditLog } from '../audit/repo';
import { NotFoundError } from '../core/errors';
import { UsersRepo } from '../directory/users-repo';
import type { User } from '../directory/user';
import type { EscalationPolicy, Schedule, Team } from './model';
import { TeamsStore } from './store';
import { TeamsOps } from './ops';
import { nextOnCall, onCallAt, timeline, type NextOnCall } from './oncall';
import { rotationCalendar } from './ical';

export interface TeamsOptions {
  db: Db;
  audit: AuditLog;
  now?: () => number;
}

export interface TeamView {
  team: Team;
  members: { user: User; role: 'admin' | 'user' }[];
  schedules: Schedule[];
  policies: EscalationPolicy[];
}

export interface OnCallView {
  schedule: Schedule;
  now: User[];
  next: (NextOnCall & { users: User[] }) | null;
}

/** How far ahead "next on call" looks. */
const NEXT_HORIZON_MS = 90 * 86_400_000;

export class Teams {
  readonly store: TeamsStore;
  private readonly users: UsersRepo;

  constructor(private readonly o: TeamsOptions) {
    this.store = new TeamsStore(o.db, o.now);
    this.users = new UsersRepo(o.db, o.now);
  }

  /** Runs `fn` in one transaction; every change it makes is audited under `actor`, or none is kept. */
  change<T>(actor: string, fn: (ops: TeamsOps) => Promise<T>): Promise<T> {
    return this.o.db.transaction((tx: Tx) =>
      fn(
        new TeamsOps(new TeamsStore(tx, this.o.now), new UsersRepo(tx, this.o.now), (action, target, detail) =>
          this.o.audit.record({ actor, action, target, detail }, tx),
        ),
      ),
    );
  }

  listTeams(): Promise<Team[]> {
    return this.store.listTeams();
  }

  async view(teamRef: string): Promise<TeamView> {
    const team = await this.store.findTeam(teamRef);
    if (!team) throw new NotFoundError(`team ${teamRef}`);
    const members = [];
    for (const m of await this.store.members(team.id)) {
      const user = await this.users.getById(m.userId);
      if (user) members.push({ user, role: m.role });
    }
    const schedules = [];
    for (const row of await this.store.scheduleRows(team.id)) schedules.push(await this.store.loadSchedule(row, this.now()));
    return { team, members, schedules, policies: await this.store.listPolicies(team.id) };
  }

  async schedule(ref: string): Promise<Schedule> {
    const row = await this.store.findScheduleRow(ref);
    if (!row) throw new NotFoundError(`schedule ${ref}`);
    return this.store.loadSchedule(row);
  }

  async onCall(scheduleRef: string, at = this.now()): Promise<OnCallView> {
    const schedule = await this.schedule(scheduleRef);
    const next = nextOnCall(schedule, at, NEXT_HORIZON_MS);
    return {
      schedule,
      now: await this.usersOf(onCallAt(schedule, at)),
      next: next && { ...next, users: await this.usersOf(next.userIds) },
    };
  }

  /** Everyone on call now in any schedule of the team, each once, in schedule order. */
  async teamOnCall(teamRef: string, at = this.now()): Promise<User[]> {
    const team = await this.store.findTeam(teamRef);
    if (!team) throw new NotFoundError(`team ${teamRef}`);
    const ids: number[] = [];
    for (const row of await this.store.scheduleRows(team.id)) ids.push(...onCallAt(await this.store.loadSchedule(row), at));
    return this.usersOf([...new Set(ids)]);
  }

  /** A rotation's feed over the next `weeks`, or null when the rotation is gone. */
  async calendar(rotationId: string, weeks: number): Promise<string | null> {
    const row = await this.store.scheduleOfRotation(rotationId);
    if (!row) return null;
    const s = await this.store.loadSchedule(row);
    const rot = s.rotations.find((r) => r.id === rotationId)!;
    const now = this.now();
    // A day back, so the shift in progress is in the feed too.
    const shifts = timeline({ ...s, rotations: [rot] }, now - 86_400_000, now + weeks * 7 * 86_400_000);
    const people = new Map((await this.usersOf([...new Set(shifts.map((x) => x.userId))])).map((u) => [u.id, u.name]));
    return rotationCalendar({
      calendarName: `${s.name} / ${rot.name}`,
      uidPrefix: rot.id,
      shifts,
      nameOf: (id) => people.get(id) ?? `#${id}`,
      now,
    });
  }

  async usersOf(ids: number[]): Promise<User[]> {
    const out: User[] = [];
    for (const id of ids) {
      const u = await this.users.getById(id);
      if (u) out.push(u);
    }
    return out;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}
