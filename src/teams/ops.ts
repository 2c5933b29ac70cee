/**
 * The changes the teams service makes, each with its audit entry, all on one transaction's store.
 * The service opens the transaction; the Opsgenie import runs many of these in one, so a failed
 * import leaves nothing behind.
 */
import { AppError, NotFoundError, ValidationError } from '../core/errors';
import { publicId } from '../core/ids';
import { UsersRepo } from '../directory/users-repo';
import { userCreateSchema, type Lang, type UserCreate } from '../directory/user';
import { userChangeDetail } from '../audit/detail';
import { describeIssues } from '../core/validate';
import type { EscalationPolicy, EscalationStep, Override, Rotation, Team } from './model';
import {
  overrideInput,
  parse,
  policyInput,
  rotationInput,
  scheduleInput,
  teamInput,
  type OverrideInput,
  type PolicyInput,
  type RotationInput,
  type ScheduleInput,
  type TeamInput,
} from './input';
import { TeamsStore, type ScheduleRow } from './store';

export type Audit = (action: string, target: string, detail: Record<string, unknown> | null) => Promise<void>;

export class TeamsOps {
  constructor(
    readonly store: TeamsStore,
    private readonly users: UsersRepo,
    private readonly audit: Audit,
  ) {}

  /** An audit entry for a change made of many (an import), written with them. */
  note(action: string, target: string, detail: Record<string, unknown>): Promise<void> {
    return this.audit(action, target, detail);
  }

  async team(ref: string): Promise<Team> {
    const t = await this.store.findTeam(ref);
    if (!t) throw new NotFoundError(`team ${ref}`);
    return t;
  }

  async schedule(ref: string): Promise<ScheduleRow> {
    const s = await this.store.findScheduleRow(ref);
    if (!s) throw new NotFoundError(`schedule ${ref}`);
    return s;
  }

  async userId(email: string): Promise<number> {
    const u = await this.users.getByEmail(email);
    if (!u) throw new NotFoundError(`person ${email}`);
    return u.id;
  }

  async createTeam(input: TeamInput): Promise<Team> {
    const v = parse(teamInput, input);
    if (await this.store.findTeam(v.name)) throw new AppError('conflict', `a team named ${v.name} already exists`);
    const t: Team = { id: publicId('T'), name: v.name, description: v.description };
    await this.store.insertTeam(t);
    await this.audit('team.create', t.name, { description: t.description });
    return t;
  }

  async updateTeam(ref: string, patch: Partial<TeamInput>): Promise<Team> {
    const t = await this.team(ref);
    const v = parse(teamInput, { name: patch.name ?? t.name, description: patch.description ?? t.description });
    const clash = await this.store.findTeam(v.name);
    if (clash && clash.id !== t.id) throw new AppError('conflict', `a team named ${v.name} already exists`);
    await this.store.updateTeam(t.id, v);
    await this.audit('team.update', v.name, { ...(v.name !== t.name ? { renamedFrom: t.name } : {}), description: v.description });
    return { ...t, ...v };
  }

  async removeTeam(ref: string): Promise<void> {
    const t = await this.team(ref);
    await this.store.deleteTeam(t.id);
    await this.audit('team.remove', t.name, null);
  }

  async addMember(teamRef: string, email: string, role: 'admin' | 'user' = 'user'): Promise<void> {
    const t = await this.team(teamRef);
    await this.store.setMember(t.id, { userId: await this.userId(email), role });
    await this.audit('team.member-add', t.name, { email, role });
  }

  async removeMember(teamRef: string, email: string): Promise<boolean> {
    const t = await this.team(teamRef);
    if (!(await this.store.removeMember(t.id, await this.userId(email)))) return false;
    await this.audit('team.member-remove', t.name, { email });
    return true;
  }

  async createSchedule(input: ScheduleInput): Promise<ScheduleRow> {
    const v = parse(scheduleInput, input);
    if (await this.store.findScheduleRow(v.name)) throw new AppError('conflict', `a schedule named ${v.name} already exists`);
    const row: ScheduleRow = {
      id: publicId('S'),
      name: v.name,
      team_id: v.team ? (await this.team(v.team)).id : null,
      time_zone: v.timeZone,
      enabled: v.enabled,
    };
    await this.store.insertSchedule(row);
    await this.audit('schedule.create', v.name, { team: v.team, timeZone: v.timeZone, enabled: v.enabled });
    return row;
  }

  /** Changes a schedule's team, time zone and whether it is on; its rotations stay. */
  async updateSchedule(ref: string, input: ScheduleInput): Promise<ScheduleRow> {
    const s = await this.schedule(ref);
    const v = parse(scheduleInput, input);
    const patch = { team_id: v.team ? (await this.team(v.team)).id : null, time_zone: v.timeZone, enabled: v.enabled };
    await this.store.updateSchedule(s.id, patch);
    await this.audit('schedule.update', s.name, { team: v.team, timeZone: v.timeZone, enabled: v.enabled });
    return { ...s, ...patch };
  }

  /** Someone an import brings along: created as the directory's own service would, inside this transaction. */
  async createPerson(input: UserCreate, lang: Lang): Promise<void> {
    const r = userCreateSchema.safeParse(input);
    if (!r.success) throw new ValidationError(`${input.email}: ${describeIssues(r.error)}`);
    const u = await this.users.create(r.data, { lang });
    await this.audit('user.create', u.email, userChangeDetail(r.data));
  }

  async removeSchedule(ref: string): Promise<void> {
    const s = await this.schedule(ref);
    await this.store.deleteSchedule(s.id);
    await this.audit('schedule.remove', s.name, null);
  }

  async addRotation(scheduleRef: string, input: RotationInput): Promise<Rotation> {
    const s = await this.schedule(scheduleRef);
    const v = parse(rotationInput, input);
    const existing = await this.store.loadSchedule(s);
    if (existing.rotations.some((r) => r.name.toLowerCase() === v.name.toLowerCase())) {
      throw new AppError('conflict', `schedule ${s.name} already has a rotation named ${v.name}`);
    }
    const participants: number[] = [];
    for (const email of v.participants) participants.push(await this.userId(email));
    const rot: Rotation = { id: publicId('R'), ...v, participants };
    await this.store.insertRotation(s.id, rot);
    await this.audit('rotation.create', `${s.name}/${rot.name}`, {
      participants: v.participants,
      startsAt: new Date(v.startsAt).toISOString(),
      length: `${v.length} ${v.unit}`,
      restrictions: v.restrictions.length,
    });
    return rot;
  }

  async removeRotation(scheduleRef: string, rotationName: string): Promise<void> {
    const s = await this.schedule(scheduleRef);
    const rot = (await this.store.loadSchedule(s)).rotations.find((r) => r.name.toLowerCase() === rotationName.trim().toLowerCase());
    if (!rot) throw new NotFoundError(`rotation ${rotationName} of ${s.name}`);
    await this.store.deleteRotation(rot.id);
    await this.audit('rotation.remove', `${s.name}/${rot.name}`, null);
  }

  async addOverride(scheduleRef: string, input: OverrideInput): Promise<Override> {
    const s = await this.schedule(scheduleRef);
    const v = parse(overrideInput, input);
    let rotationId: string | null = null;
    if (v.rotation !== null) {
      const rot = (await this.store.loadSchedule(s)).rotations.find(
        (r) => r.name.toLowerCase() === v.rotation!.trim().toLowerCase() || r.id === v.rotation,
      );
      if (!rot) throw new NotFoundError(`rotation ${v.rotation} of ${s.name}`);
      rotationId = rot.id;
    }
    const o: Override = { id: publicId('O'), userId: await this.userId(v.user), startsAt: v.startsAt, endsAt: v.endsAt, rotationId };
    await this.store.insertOverride(s.id, o);
    await this.audit('override.create', s.name, {
      id: o.id,
      user: v.user,
      rotation: v.rotation,
      from: new Date(v.startsAt).toISOString(),
      to: new Date(v.endsAt).toISOString(),
    });
    return o;
  }

  async removeOverride(scheduleRef: string, id: string): Promise<boolean> {
    const s = await this.schedule(scheduleRef);
    if (!(await this.store.deleteOverride(s.id, id))) return false;
    await this.audit('override.remove', s.name, { id });
    return true;
  }

  /** Creates the policy, or replaces the steps of the one with this name. */
  async savePolicy(input: PolicyInput): Promise<EscalationPolicy> {
    const v = parse(policyInput, input);
    const steps: EscalationStep[] = [];
    for (const st of v.steps) {
      const t = st.target;
      if (t.kind === 'user') steps.push({ afterMinutes: st.afterMinutes, target: { kind: 'user', id: await this.userId(t.email) } });
      else if (t.kind === 'team') steps.push({ afterMinutes: st.afterMinutes, target: { kind: 'team', id: (await this.team(t.name)).id } });
      else steps.push({ afterMinutes: st.afterMinutes, target: { kind: 'schedule', id: (await this.schedule(t.name)).id } });
    }
    for (let i = 1; i < steps.length; i++) {
      if (steps[i].afterMinutes < steps[i - 1].afterMinutes)
        throw new ValidationError('steps must be in time order', `steps.${i}.afterMinutes`);
    }
    const old = await this.store.findPolicy(v.name);
    const p: EscalationPolicy = {
      id: old?.id ?? publicId('E'),
      name: v.name,
      teamId: v.team ? (await this.team(v.team)).id : null,
      steps,
      repeat: v.repeat,
      repeatAfterMinutes: v.repeatAfterMinutes,
    };
    await this.store.upsertPolicy(p);
    await this.audit(old ? 'policy.update' : 'policy.create', p.name, { team: v.team, steps: v.steps, repeat: v.repeat });
    return p;
  }

  async removePolicy(ref: string): Promise<void> {
    const p = await this.store.findPolicy(ref);
    if (!p) throw new NotFoundError(`escalation policy ${ref}`);
    await this.store.deletePolicy(p.id);
    await this.audit('policy.remove', p.name, null);
  }
}
