/**
 * Turns a configured page target (schedule / users / team) into a direct-paging request and
 * the names to say ("Escalated to Alice Smith and Bob").
 */
import { AppError } from '../core/errors';
import type { PageTarget } from './config';
import type { OnCallClient } from './client';
import type { OnCallUser } from './types';
import type { Lang } from './words';

export interface ResolvedTarget {
  users: OnCallUser[];
  teamId: string | null;
  /** What to say: the label, else the people's names, else "<team> team". */
  spoken: { en: string; ru: string };
  important: boolean;
}

export interface ResolveDeps {
  client: OnCallClient;
  token?: string;
  signal: AbortSignal;
  nameOf?: (email: string) => Promise<string | null>;
}

export async function resolveTarget(t: PageTarget, d: ResolveDeps): Promise<ResolvedTarget> {
  const opts = { token: d.token, signal: d.signal, retries: 0 };
  if (t.team) {
    const teamId = /^T[A-NP-Z1-9]{12,16}$/.test(t.team) ? t.team : (await d.client.listTeams({ name: t.team }, opts))[0]?.id;
    if (!teamId) throw new AppError('target-unknown', `team "${t.team}" not found in OnCall`);
    return { users: [], teamId, spoken: { en: targetLabel(t, 'en'), ru: targetLabel(t, 'ru') }, important: t.important ?? false };
  }
  const ids = new Set<string>();
  const users: OnCallUser[] = [];
  const add = (u: OnCallUser) => {
    if (!ids.has(u.id)) [ids.add(u.id), users.push(u)];
  };
  if (t.schedule) {
    const sched = /^S[A-NP-Z1-9]{12,16}$/.test(t.schedule)
      ? await d.client.getSchedule(t.schedule, opts)
      : (await d.client.listSchedules({ name: t.schedule }, opts))[0];
    if (!sched) throw new AppError('target-unknown', `schedule "${t.schedule}" not found in OnCall`);
    for (const u of await Promise.all(sched.on_call_now.map((id) => d.client.getUser(id, opts)))) add(u);
    if (sched.on_call_now.length === 0 && !t.users?.length)
      throw new AppError('target-empty', `nobody is on call in schedule "${sched.name}"`);
  }
  for (const ref of t.users ?? []) add(await findUser(ref, d));
  const names = await Promise.all(users.map(async (u) => (d.nameOf ? await d.nameOf(u.email) : null) ?? u.username));
  const spoken = t.label ? { en: t.label, ru: t.label } : { en: joinNames(names, 'en'), ru: joinNames(names, 'ru') };
  return { users, teamId: null, spoken, important: t.important ?? false };
}

async function findUser(ref: string, d: ResolveDeps) {
  const opts = { token: d.token, signal: d.signal, retries: 0 };
  if (/^U[A-NP-Z1-9]{12,16}$/.test(ref)) return d.client.getUser(ref, opts);
  const found = await d.client.listUsers(ref.includes('@') ? { email: ref } : { username: ref }, opts);
  if (!found[0]) throw new AppError('target-unknown', `OnCall user "${ref}" not found`);
  return found[0];
}

/** "Alice", "Alice and Bob", "Alice, Bob and Carol" (и in Russian). */
export function joinNames(names: string[], lang: Lang): string {
  const and = lang === 'ru' ? ' и ' : ' and ';
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')}${and}${names[names.length - 1]}`;
}

/** The label of a configured target without asking OnCall (for menus). */
export function targetLabel(t: PageTarget, lang: Lang): string {
  if (t.label) return t.label;
  if (t.team) return lang === 'ru' ? `команда ${t.team}` : `${t.team} team`;
  if (t.schedule) return lang === 'ru' ? `дежурный по расписанию ${t.schedule}` : `on-call of ${t.schedule}`;
  return joinNames(
    (t.users ?? []).map((u) => u.split('@')[0]),
    lang,
  );
}
