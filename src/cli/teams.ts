/**
 * `dozvon teams …`, `dozvon oncall` and `dozvon import opsgenie`: teams from the command line.
 * Each parses its flags, calls the teams service as the CLI's OS account, and prints the answer.
 */
import { DateTime } from 'luxon';
import type { Config } from '../config';
import { ValidationError } from '../core/errors';
import type { User } from '../directory/user';
import { AuditRepo } from '../audit';
import { Teams } from '../teams/service';
import type { PolicyInput, RotationInput, StepTargetInput } from '../teams/input';
import type { EscalationPolicy, Schedule, StepTarget } from '../teams/model';
import { formatRestrictions } from '../teams/restriction-text';
import { readOpsgenieDir } from '../teams/opsgenie-import/read';
import { planImport } from '../teams/opsgenie-import/plan';
import { applyOpsgenie, existingFor } from '../teams/opsgenie-import/apply';
import { previewLines } from '../teams/opsgenie-import/preview';
import { cliActor } from './audit';
import { openCliDb } from './db';
import { EXIT, table, type Out } from './output';

export async function withTeams(config: Config, create: boolean, fn: (teams: Teams) => Promise<number>): Promise<number> {
  const db = await openCliDb(config, { create });
  try {
    return await fn(new Teams({ db, audit: new AuditRepo(db, Date.now) }));
  } finally {
    await db.destroy();
  }
}

/** An ISO date-time; without an offset it is read in `zone`. */
export function parseWhen(s: string, zone: string, flag: string): number {
  const d = DateTime.fromISO(s, { zone, setZone: false });
  if (!d.isValid) throw new ValidationError(`${flag}: "${s}" is not a date-time such as 2026-03-02T09:00`);
  return d.toMillis();
}

/** "1w", "2d", "12h": a rotation's shift length. */
export function parseEvery(s: string): Pick<RotationInput, 'length' | 'unit'> {
  const m = /^(\d{1,4})\s*(h|d|w)$/.exec(s.trim());
  if (!m) throw new ValidationError(`--every: "${s}" is not a length such as 1w, 1d or 12h`);
  return { length: Number(m[1]), unit: ({ h: 'hours', d: 'days', w: 'weeks' } as const)[m[2] as 'h' | 'd' | 'w'] };
}

/** "5:user:ann@example.com", "0:schedule:DB", "10:team:Database": after N minutes, whom. */
export function parseStep(s: string): PolicyInput['steps'][number] {
  const m = /^\s*(\d{1,5})\s*:\s*(schedule|user|team)\s*:\s*(\S.*?)\s*$/.exec(s);
  if (!m) throw new ValidationError(`--step: "${s}" is not a step such as 0:schedule:DB, 5:user:ann@example.com or 10:team:Database`);
  const name = m[3];
  const target: StepTargetInput = m[2] === 'user' ? { kind: 'user', email: name } : { kind: m[2] as 'schedule' | 'team', name };
  return { afterMinutes: Number(m[1]), target };
}

/** A whole number of at most five digits, or a refusal naming the flag. */
export function parseCount(s: string, flag: string): number {
  if (!/^\s*\d{1,5}\s*$/.test(s)) throw new ValidationError(`${flag}: "${s}" is not a whole number`);
  return Number(s);
}

const names = (us: User[]) => us.map((u) => u.email).join(', ') || 'nobody';

function scheduleRows(s: Schedule, on: { now: User[]; next: { at: number; users: User[] } | null }) {
  const local = (ms: number) => DateTime.fromMillis(ms, { zone: s.timeZone }).toFormat('yyyy-LL-dd HH:mm ZZZZ');
  return { schedule: s.name, now: names(on.now), next: on.next ? `${names(on.next.users)} from ${local(on.next.at)}` : '' };
}

export async function oncall(teams: Teams, team: string | undefined, out: Out, now = Date.now()): Promise<number> {
  const rows = [];
  const data = [];
  const schedules = team
    ? (await teams.view(team)).schedules
    : await Promise.all((await teams.store.scheduleRows()).map((r) => teams.store.loadSchedule(r)));
  for (const s of schedules) {
    const on = await teams.onCall(s.id, now);
    rows.push(scheduleRows(s, on));
    data.push({
      schedule: s.name,
      now: on.now.map((u) => u.email),
      next: on.next && { at: new Date(on.next.at).toISOString(), people: on.next.users.map((u) => u.email) },
    });
  }
  out.print(rows.length ? table(rows, ['schedule', 'now', 'next']) : 'no schedules', { schedules: data });
  return EXIT.ok;
}

export async function teamShow(teams: Teams, ref: string, out: Out, now = Date.now()): Promise<number> {
  const v = await teams.view(ref);
  const lines = [`${v.team.name}${v.team.description ? ` — ${v.team.description}` : ''}`, 'members:'];
  for (const m of v.members) lines.push(`  ${m.user.email}${m.role === 'admin' ? ' (admin)' : ''}`);
  for (const s of v.schedules) {
    const on = await teams.onCall(s.id, now);
    lines.push(`schedule ${s.name} (${s.timeZone}${s.enabled ? '' : ', disabled'}): on call ${names(on.now)}`);
    for (const r of s.rotations) {
      const only = r.restrictions.length ? `, only ${formatRestrictions(r.restrictions).join('; ')}` : '';
      lines.push(
        `  rotation ${r.name}: every ${r.length} ${r.unit}, ${(await teams.usersOf(r.participants)).map((u) => u.email).join(' → ')}${only}`,
      );
    }
    for (const o of s.overrides)
      lines.push(
        `  override ${o.id}: ${names(await teams.usersOf([o.userId]))} ${new Date(o.startsAt).toISOString()} – ${new Date(o.endsAt).toISOString()}`,
      );
  }
  for (const p of v.policies) lines.push(...(await policyLines(teams, p)));
  out.print(lines.join('\n'), {
    team: v.team,
    members: v.members.map((m) => ({ email: m.user.email, role: m.role })),
    schedules: v.schedules,
    policies: v.policies,
  });
  return EXIT.ok;
}

async function policyLines(teams: Teams, p: EscalationPolicy): Promise<string[]> {
  const again = p.repeat ? ` (repeated ${p.repeat} more time(s), ${p.repeatAfterMinutes} min after the last step)` : '';
  const lines = [`escalation ${p.name}${again}:`];
  for (const st of p.steps) lines.push(`  after ${st.afterMinutes} min: ${await targetName(teams, st.target)}`);
  return lines;
}

async function targetName(teams: Teams, t: StepTarget): Promise<string> {
  if (t.kind === 'user') return (await teams.usersOf([t.id]))[0]?.email ?? `person #${t.id} (removed)`;
  if (t.kind === 'team') return `the whole team ${(await teams.store.findTeam(t.id))?.name ?? `${t.id} (removed)`}`;
  return `on call of ${(await teams.store.findScheduleRow(t.id))?.name ?? `${t.id} (removed)`}`;
}

export async function importOpsgenie(teams: Teams, dir: string, apply: boolean, lang: Config['lang'], out: Out): Promise<number> {
  const plan = planImport(readOpsgenieDir(dir), await existingFor(teams), Date.now());
  const preview = previewLines(plan).join('\n');
  if (!apply) {
    out.print(`${preview}\n\nnothing written yet: run again with --apply to import all of it`, { applied: false, plan });
    return EXIT.ok;
  }
  const n = await applyOpsgenie(teams, cliActor(), plan, { source: dir, lang });
  out.print(
    `${preview}\n\nimported: ${Object.entries(n)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
    { applied: true, counts: n, unsupported: plan.unsupported },
  );
  return EXIT.ok;
}
