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
import type { RotationInput } from '../teams/input';
import type { Schedule } from '../teams/model';
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
    for (const r of s.rotations)
      lines.push(
        `  rotation ${r.name}: every ${r.length} ${r.unit}, ${(await teams.usersOf(r.participants)).map((u) => u.email).join(' → ')}`,
      );
    for (const o of s.overrides)
      lines.push(
        `  override ${o.id}: ${names(await teams.usersOf([o.userId]))} ${new Date(o.startsAt).toISOString()} – ${new Date(o.endsAt).toISOString()}`,
      );
  }
  for (const p of v.policies) lines.push(`escalation ${p.name}: ${p.steps.length} step(s)${p.repeat ? `, repeated ${p.repeat}×` : ''}`);
  out.print(lines.join('\n'), {
    team: v.team,
    members: v.members.map((m) => ({ email: m.user.email, role: m.role })),
    schedules: v.schedules,
    policies: v.policies,
  });
  return EXIT.ok;
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
