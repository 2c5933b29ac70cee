/**
 * Writes a previewed Opsgenie plan through the teams service in one transaction: people first,
 * then teams, schedules (an existing one gets the imported rotations in place of its own) and
 * overrides, then the policies that name them. Any failure undoes all of it.
 */
import type { Lang } from '../../directory/user';
import type { Teams } from '../service';
import type { TeamsOps } from '../ops';
import type { Existing, ImportPlan } from './plan';

export async function existingFor(teams: Teams): Promise<Existing> {
  const db = teams.store.db;
  const keys = async (table: string, col: string) => new Set((await db(table).select(col)).map((r: Record<string, string>) => r[col]));
  return {
    emails: await keys('users', 'email_key'),
    teams: await keys('teams', 'name_key'),
    schedules: await keys('schedules', 'name_key'),
    policies: await keys('escalation_policies', 'name_key'),
  };
}

export interface ImportCounts {
  people: number;
  teams: number;
  schedules: number;
  rotations: number;
  overrides: number;
  policies: number;
}

export function applyOpsgenie(teams: Teams, actor: string, plan: ImportPlan, o: { source: string; lang: Lang }): Promise<ImportCounts> {
  return teams.change(actor, async (ops) => {
    const n: ImportCounts = { people: 0, teams: 0, schedules: 0, rotations: 0, overrides: 0, policies: 0 };
    for (const p of plan.people.filter((x) => x.status === 'create')) {
      await ops.createPerson({ email: p.email, name: p.name, ...(p.timezone ? { timezone: p.timezone } : {}) }, o.lang);
      n.people++;
    }
    for (const t of plan.teams) {
      if (t.status === 'create') await ops.createTeam({ name: t.name, description: t.description });
      else await ops.updateTeam(t.name, { description: t.description });
      for (const m of t.members) await ops.addMember(t.name, m.email, m.role);
      n.teams++;
    }
    for (const s of plan.schedules) {
      const input = { name: s.name, team: s.team, timeZone: s.timeZone, enabled: s.enabled };
      if (s.status === 'create') await ops.createSchedule(input);
      else {
        await ops.updateSchedule(s.name, input);
        await replaceRotations(ops, s.name);
      }
      for (const r of s.rotations) await ops.addRotation(s.name, r);
      n.schedules++;
      n.rotations += s.rotations.length;
      for (const ov of s.overrides) await ops.addOverride(s.name, ov);
      n.overrides += s.overrides.length;
    }
    for (const { status: _status, ...p } of plan.policies) {
      await ops.savePolicy(p);
      n.policies++;
    }
    await ops.note('teams.import-opsgenie', o.source, { ...n, unsupported: plan.unsupported.length });
    return n;
  });
}

async function replaceRotations(ops: TeamsOps, name: string): Promise<void> {
  const s = await ops.store.loadSchedule(await ops.schedule(name));
  for (const r of s.rotations) await ops.removeRotation(name, r.name);
  // Overrides are imported again from the export; the old ones would otherwise be doubled.
  for (const o of s.overrides) await ops.removeOverride(name, o.id);
}
