/**
 * Turns an alert's responders into who is called when. A user is found by username (their email)
 * or id; a team runs its escalation policy, or calls all its members when it has none; an
 * escalation runs that policy; a schedule calls whoever is on call. A schedule step is worked out
 * for the moment the step fires, so a hand-off between alert and step reaches the new person.
 */
import type { PlanStep, Responder, ResponderPlan, ResponderResolver } from '../alerts/responders';
import type { User } from '../directory/user';
import { UsersRepo } from '../directory/users-repo';
import type { EscalationPolicy, StepTarget, Team } from './model';
import { onCallAt } from './oncall';
import type { Teams } from './service';

const MINUTE = 60_000;

export class TeamsResolver implements ResponderResolver {
  private readonly users: UsersRepo;

  constructor(private readonly teams: Teams) {
    this.users = new UsersRepo(teams.store.db);
  }

  async plan(responders: Responder[], defaultTeam: string | null, at: number): Promise<ResponderPlan> {
    const plan: ResponderPlan = { steps: [], teamId: null, unresolved: [] };
    const list: Responder[] = responders.length ? responders : defaultTeam ? [{ type: 'team', id: defaultTeam, name: defaultTeam }] : [];
    for (const r of list) await this.add(plan, r, at);
    // Stable sort: at the same delay, responders keep the order the alert named them in.
    plan.steps = plan.steps
      .map((s, i) => ({ s, i }))
      .sort((a, b) => a.s.afterMs - b.s.afterMs || a.i - b.i)
      .map((x) => x.s);
    return plan;
  }

  private async add(plan: ResponderPlan, r: Responder, at: number): Promise<void> {
    const ref = (r.type === 'user' ? (r.username ?? r.id) : (r.id ?? r.name)) ?? r.name;
    const named = `${r.type} ${ref ?? '(unnamed)'}`;
    if (!ref) return void plan.unresolved.push(named);
    if (r.type === 'user') {
      const u = await this.user(ref);
      if (!u) return void plan.unresolved.push(named);
      plan.steps.push({ afterMs: 0, userIds: [u.id], label: u.email });
      return;
    }
    if (r.type === 'team') {
      const team = (await this.teams.store.findTeam(ref)) ?? (r.name ? await this.teams.store.findTeam(r.name) : null);
      if (!team) return void plan.unresolved.push(named);
      plan.teamId ??= team.id;
      const policy = await this.teams.store.policyOfTeam(team.id);
      if (policy) return this.unroll(plan, policy, at);
      return this.push(plan, 0, await this.teamMembers(team.id), `team ${team.name}`);
    }
    if (r.type === 'escalation') {
      const policy = (await this.teams.store.findPolicy(ref)) ?? (r.name ? await this.teams.store.findPolicy(r.name) : null);
      if (!policy) return void plan.unresolved.push(named);
      plan.teamId ??= policy.teamId;
      return this.unroll(plan, policy, at);
    }
    const row = (await this.teams.store.findScheduleRow(ref)) ?? (r.name ? await this.teams.store.findScheduleRow(r.name) : null);
    if (!row) return void plan.unresolved.push(named);
    plan.teamId ??= row.team_id;
    const s = await this.teams.store.loadSchedule(row, at);
    this.push(plan, 0, onCallAt(s, at), `on call of ${s.name}`);
  }

  /** The policy's steps, then its repeats, each pass starting `repeatAfterMinutes` after the previous pass's last step. */
  private async unroll(plan: ResponderPlan, p: EscalationPolicy, at: number): Promise<void> {
    const last = p.steps.length ? p.steps[p.steps.length - 1].afterMinutes : 0;
    // A pass of zero length would page everyone again in the same instant; one minute apart at least.
    const period = Math.max(1, last + p.repeatAfterMinutes) * MINUTE;
    for (let pass = 0; pass <= p.repeat; pass++) {
      for (const step of p.steps) {
        const afterMs = pass * period + step.afterMinutes * MINUTE;
        const who = await this.target(step.target, at + afterMs);
        this.push(plan, afterMs, who.ids, pass === 0 ? who.label : `${who.label} (repeat ${pass})`);
      }
    }
  }

  private async target(t: StepTarget, when: number): Promise<{ ids: number[]; label: string }> {
    if (t.kind === 'user') {
      const u = await this.users.getById(t.id);
      return { ids: u ? [u.id] : [], label: u?.email ?? `person #${t.id} (removed)` };
    }
    if (t.kind === 'team') {
      const team: Team | null = await this.teams.store.findTeam(t.id);
      return { ids: team ? await this.teamMembers(team.id) : [], label: `team ${team?.name ?? `${t.id} (removed)`}` };
    }
    const row = await this.teams.store.findScheduleRow(t.id);
    if (!row) return { ids: [], label: `schedule ${t.id} (removed)` };
    return { ids: onCallAt(await this.teams.store.loadSchedule(row, when), when), label: `on call of ${row.name}` };
  }

  /** A step with nobody to call is named in `unresolved` instead, so the alert shows the gap. */
  private push(plan: ResponderPlan, afterMs: number, userIds: number[], label: string): void {
    if (userIds.length === 0) plan.unresolved.push(`${label}: nobody`);
    else plan.steps.push({ afterMs, userIds, label } satisfies PlanStep);
  }

  private async teamMembers(teamId: string): Promise<number[]> {
    return (await this.teams.store.members(teamId)).map((m) => m.userId);
  }

  private async user(ref: string): Promise<User | null> {
    return (await this.users.getByEmail(ref)) ?? (await this.users.list({ username: ref, limit: 1 })).users[0] ?? null;
  }
}
