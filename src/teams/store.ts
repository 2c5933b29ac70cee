/**
 * The teams tables: teams and members, schedules with rotations and overrides, escalation
 * policies. Names are found case-insensitively (by their *_key) or by id. Works on a Db or inside
 * a transaction the service opened.
 */
import type { Db } from '../db/knex';
import type { EscalationPolicy, Override, Restriction, Rotation, Schedule, Team, TeamMember } from './model';

export const nameKey = (s: string) => s.trim().toLowerCase();

interface RotationRow {
  id: string;
  schedule_id: string;
  name: string;
  position: number;
  starts_at: number | string;
  ends_at: number | string | null;
  length: number;
  unit: string;
  restrictions: string;
}

export interface ScheduleRow {
  id: string;
  team_id: string | null;
  name: string;
  time_zone: string;
  enabled: number | boolean;
}

interface PolicyRow {
  id: string;
  team_id: string | null;
  name: string;
  steps: string;
  repeat: number;
  repeat_after_minutes: number;
}

const num = (v: number | string) => Number(v);

export class TeamsStore {
  constructor(
    readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  // Teams and members.

  async findTeam(ref: string): Promise<Team | null> {
    const r = await this.db('teams')
      .where({ id: ref })
      .orWhere({ name_key: nameKey(ref) })
      .first();
    return r ? { id: r.id, name: r.name, description: r.description } : null;
  }

  async listTeams(): Promise<Team[]> {
    const rows = await this.db('teams').orderBy('name_key');
    return rows.map((r) => ({ id: r.id, name: r.name, description: r.description }));
  }

  async insertTeam(t: Team): Promise<void> {
    const at = this.now();
    await this.db('teams').insert({
      id: t.id,
      name: t.name,
      name_key: nameKey(t.name),
      description: t.description,
      created_at: at,
      updated_at: at,
    });
  }

  async updateTeam(id: string, patch: { name?: string; description?: string }): Promise<void> {
    const row: Record<string, unknown> = { updated_at: this.now() };
    if (patch.name !== undefined) Object.assign(row, { name: patch.name, name_key: nameKey(patch.name) });
    if (patch.description !== undefined) row.description = patch.description;
    await this.db('teams').where({ id }).update(row);
  }

  async deleteTeam(id: string): Promise<void> {
    await this.db('teams').where({ id }).delete();
  }

  async members(teamId: string): Promise<TeamMember[]> {
    const rows = await this.db('team_members').where({ team_id: teamId }).orderBy('user_id');
    return rows.map((r) => ({ userId: r.user_id, role: r.role }));
  }

  async setMember(teamId: string, m: TeamMember): Promise<void> {
    await this.db('team_members').where({ team_id: teamId, user_id: m.userId }).delete();
    await this.db('team_members').insert({ team_id: teamId, user_id: m.userId, role: m.role });
  }

  async removeMember(teamId: string, userId: number): Promise<boolean> {
    return (await this.db('team_members').where({ team_id: teamId, user_id: userId }).delete()) > 0;
  }

  // Schedules, rotations, overrides.

  async findScheduleRow(ref: string): Promise<ScheduleRow | null> {
    return (
      (await this.db('schedules')
        .where({ id: ref })
        .orWhere({ name_key: nameKey(ref) })
        .first()) ?? null
    );
  }

  async scheduleRows(teamId?: string): Promise<ScheduleRow[]> {
    const q = this.db('schedules').orderBy('name_key');
    return teamId ? q.where({ team_id: teamId }) : q;
  }

  async insertSchedule(r: ScheduleRow): Promise<void> {
    const at = this.now();
    await this.db('schedules').insert({ ...r, name_key: nameKey(r.name), created_at: at, updated_at: at });
  }

  async updateSchedule(id: string, patch: Pick<ScheduleRow, 'team_id' | 'time_zone' | 'enabled'>): Promise<void> {
    await this.db('schedules')
      .where({ id })
      .update({ ...patch, updated_at: this.now() });
  }

  async deleteSchedule(id: string): Promise<void> {
    await this.db('schedules').where({ id }).delete();
  }

  /** The whole schedule, ready for the on-call computation; overrides ending before `since` are left out. */
  async loadSchedule(row: ScheduleRow, since = 0): Promise<Schedule> {
    const rotRows: RotationRow[] = await this.db('rotations').where({ schedule_id: row.id }).orderBy('position');
    const parts = await this.db('rotation_participants')
      .whereIn(
        'rotation_id',
        rotRows.map((r) => r.id),
      )
      .orderBy('position');
    const overrides = await this.db('schedule_overrides')
      .where({ schedule_id: row.id })
      .andWhere('ends_at', '>', since)
      .orderBy(['created_at', 'id']);
    return {
      id: row.id,
      name: row.name,
      teamId: row.team_id,
      timeZone: row.time_zone,
      enabled: Boolean(row.enabled),
      rotations: rotRows.map((r): Rotation => ({
        id: r.id,
        name: r.name,
        participants: parts.filter((p) => p.rotation_id === r.id).map((p) => p.user_id as number),
        startsAt: num(r.starts_at),
        endsAt: r.ends_at === null ? null : num(r.ends_at),
        length: r.length,
        unit: r.unit as Rotation['unit'],
        restrictions: JSON.parse(r.restrictions) as Restriction[],
      })),
      overrides: overrides.map((o): Override => ({
        id: o.id,
        userId: o.user_id,
        startsAt: num(o.starts_at),
        endsAt: num(o.ends_at),
        rotationId: o.rotation_id,
      })),
    };
  }

  async insertRotation(scheduleId: string, r: Rotation): Promise<void> {
    const position = ((await this.db('rotations').where({ schedule_id: scheduleId }).max({ m: 'position' }).first())?.m ?? -1) + 1;
    await this.db('rotations').insert({
      id: r.id,
      schedule_id: scheduleId,
      name: r.name,
      position,
      starts_at: r.startsAt,
      ends_at: r.endsAt,
      length: r.length,
      unit: r.unit,
      restrictions: JSON.stringify(r.restrictions),
    });
    if (r.participants.length) {
      await this.db('rotation_participants').insert(
        r.participants.map((userId, i) => ({ rotation_id: r.id, position: i, user_id: userId })),
      );
    }
  }

  /** The schedule a rotation belongs to, or null when there is no such rotation. */
  async scheduleOfRotation(rotationId: string): Promise<ScheduleRow | null> {
    const r = await this.db('rotations').where({ id: rotationId }).first();
    return r ? ((await this.db('schedules').where({ id: r.schedule_id }).first()) ?? null) : null;
  }

  async deleteRotation(id: string): Promise<void> {
    await this.db('rotations').where({ id }).delete();
  }

  async insertOverride(scheduleId: string, o: Override): Promise<void> {
    await this.db('schedule_overrides').insert({
      id: o.id,
      schedule_id: scheduleId,
      rotation_id: o.rotationId,
      user_id: o.userId,
      starts_at: o.startsAt,
      ends_at: o.endsAt,
      created_at: this.now(),
    });
  }

  async deleteOverride(scheduleId: string, id: string): Promise<boolean> {
    return (await this.db('schedule_overrides').where({ schedule_id: scheduleId, id }).delete()) > 0;
  }

  // Escalation policies.

  async findPolicy(ref: string): Promise<EscalationPolicy | null> {
    const r: PolicyRow | undefined = await this.db('escalation_policies')
      .where({ id: ref })
      .orWhere({ name_key: nameKey(ref) })
      .first();
    return r ? toPolicy(r) : null;
  }

  /** The team's policy: its first, when it has several (as an import of several Opsgenie escalations may give it). */
  async policyOfTeam(teamId: string): Promise<EscalationPolicy | null> {
    const r: PolicyRow | undefined = await this.db('escalation_policies').where({ team_id: teamId }).orderBy(['created_at', 'id']).first();
    return r ? toPolicy(r) : null;
  }

  async listPolicies(teamId?: string): Promise<EscalationPolicy[]> {
    const q = this.db('escalation_policies').orderBy('name_key');
    return ((await (teamId ? q.where({ team_id: teamId }) : q)) as PolicyRow[]).map(toPolicy);
  }

  async upsertPolicy(p: EscalationPolicy): Promise<void> {
    const at = this.now();
    const row = {
      team_id: p.teamId,
      name: p.name,
      name_key: nameKey(p.name),
      steps: JSON.stringify(p.steps),
      repeat: p.repeat,
      repeat_after_minutes: p.repeatAfterMinutes,
      updated_at: at,
    };
    const n = await this.db('escalation_policies').where({ id: p.id }).update(row);
    if (n === 0) await this.db('escalation_policies').insert({ id: p.id, ...row, created_at: at });
  }

  async deletePolicy(id: string): Promise<void> {
    await this.db('escalation_policies').where({ id }).delete();
  }
}

function toPolicy(r: PolicyRow): EscalationPolicy {
  return {
    id: r.id,
    name: r.name,
    teamId: r.team_id,
    steps: JSON.parse(r.steps),
    repeat: r.repeat,
    repeatAfterMinutes: r.repeat_after_minutes,
  };
}
