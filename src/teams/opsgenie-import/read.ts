/**
 * Reads the JSON files saved from Opsgenie's REST API (the README lists the curl lines):
 * users.json (or users-*.json pages), teams.json, team-<name>.json (one per team, with members),
 * schedules.json (with ?expand=rotation), overrides-<schedule>.json (optional), escalations.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../core/errors';
import type { OgEscalation, OgOverride, OgSchedule, OgTeam, OgUser, OpsgenieExport } from './shapes';

function dataOf(dir: string, file: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (e) {
    throw new ValidationError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (typeof body !== 'object' || body === null || !('data' in body))
    throw new ValidationError(`${file}: not an Opsgenie API answer (no "data")`);
  return (body as { data: unknown }).data;
}

function listOf<T>(dir: string, file: string, required: string[]): T[] {
  const data = dataOf(dir, file);
  if (!Array.isArray(data)) throw new ValidationError(`${file}: "data" is not a list`);
  data.forEach((item, i) => {
    for (const f of required) {
      if (typeof item?.[f] !== 'string' || item[f] === '') throw new ValidationError(`${file}: entry ${i + 1} has no ${f}`);
    }
  });
  return data as T[];
}

export function readOpsgenieDir(dir: string): OpsgenieExport {
  if (!existsSync(dir)) throw new ValidationError(`${dir}: no such directory`);
  const files = readdirSync(dir).sort();
  const need = (f: string) => {
    if (!files.includes(f)) throw new ValidationError(`${dir}: ${f} is missing (see the README for the curl line that saves it)`);
    return f;
  };
  const userFiles = files.filter((f) => f === 'users.json' || /^users-.+\.json$/.test(f));
  if (!userFiles.length) need('users.json');
  const users = userFiles.flatMap((f) => listOf<OgUser>(dir, f, ['username']));
  // The list call has no members; each team's own answer has them.
  const teams = listOf<OgTeam>(dir, need('teams.json'), ['name']).map((t) => {
    const own = files.find((f) => f === `team-${t.name}.json` || f === `team-${t.id}.json`);
    if (!own) return t;
    const detail = dataOf(dir, own) as OgTeam;
    return { ...t, members: detail.members ?? [] };
  });
  const overrides = new Map<string, OgOverride[]>();
  for (const f of files) {
    const m = /^overrides-(.+)\.json$/.exec(f);
    if (m) overrides.set(m[1], listOf<OgOverride>(dir, f, ['startDate', 'endDate']));
  }
  return {
    users,
    teams,
    schedules: listOf<OgSchedule>(dir, need('schedules.json'), ['name']),
    overrides,
    escalations: files.includes('escalations.json') ? listOf<OgEscalation>(dir, 'escalations.json', ['name']) : [],
  };
}
