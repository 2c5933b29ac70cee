/** `dozvon users …`: the directory from the command line. */
import { readFileSync } from 'node:fs';
import { userCreateSchema, userPatchSchema, userView, UserCreate } from '../directory/user';
import { describeIssues } from '../core/validate';
import { parseYaml } from '../core/yaml';
import type { UsersRepo } from '../db/users-repo';
import type { Lang } from '../directory/user';
import { Out, table, EXIT } from './output';

export interface UsersAddFlags {
  email: string;
  name: string;
  phone?: string;
  lang?: string;
  pin?: string;
  channels?: string;
  role?: string;
  timezone?: string;
}

export async function usersAdd(users: UsersRepo, flags: UsersAddFlags, lang: Lang, out: Out): Promise<number> {
  const input = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = userCreateSchema.safeParse(input);
  if (!parsed.success) {
    out.error(describeIssues(parsed.error));
    return EXIT.usage;
  }
  try {
    const u = await users.create(parsed.data, { lang });
    out.print(`added ${u.email} (${u.publicId})`, userView(u));
    return EXIT.ok;
  } catch (e) {
    out.error((e as Error).message);
    return EXIT.failure;
  }
}

export async function usersList(users: UsersRepo, out: Out): Promise<number> {
  const { users: list } = await users.list({ limit: 100000 });
  const views = list.map((u) => userView(u));
  out.print(list.length ? table(views, ['email', 'name', 'phone', 'lang', 'channels', 'has_pin']) : 'no users', { count: list.length, results: views });
  return EXIT.ok;
}

export async function usersRemove(users: UsersRepo, email: string, out: Out): Promise<number> {
  if (!(await users.remove(email))) {
    out.error(`no user with email ${email}`);
    return EXIT.failure;
  }
  out.print(`removed ${email}`, { removed: email });
  return EXIT.ok;
}

/**
 * Imports a YAML list (or `users:` list) of people. Every entry is validated first; one bad
 * entry stops the import before anything is written. Existing emails are updated.
 */
export async function usersImport(users: UsersRepo, file: string, lang: Lang, out: Out, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): Promise<number> {
  let doc: unknown;
  try {
    doc = parseYaml(read(file), file);
  } catch (e) {
    out.error((e as Error).message);
    return EXIT.usage;
  }
  const list = Array.isArray(doc) ? doc : (doc as { users?: unknown })?.users;
  if (!Array.isArray(list)) {
    out.error(`${file}: expected a list of users (or a "users:" list)`);
    return EXIT.usage;
  }
  const valid: UserCreate[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const parsed = userCreateSchema.safeParse(entry);
    if (!parsed.success) problems.push(`entry ${i + 1}: ${describeIssues(parsed.error)}`);
    else if (seen.has(parsed.data.email.toLowerCase())) problems.push(`entry ${i + 1}: ${parsed.data.email} appears twice`);
    else {
      seen.add(parsed.data.email.toLowerCase());
      valid.push(parsed.data);
    }
  });
  if (problems.length) {
    for (const p of problems) out.error(p);
    out.print(`nothing imported: ${problems.length} invalid entr${problems.length === 1 ? 'y' : 'ies'}`, { imported: 0, errors: problems });
    return EXIT.usage;
  }
  let created = 0;
  let updated = 0;
  for (const [i, u] of valid.entries()) {
    if (await users.getByEmail(u.email)) {
      await users.update(u.email, userPatchSchema.parse(u));
      updated++;
    } else {
      await users.create(u, { lang });
      created++;
    }
    out.progress(i + 1, valid.length, 'importing users');
  }
  out.print(`imported ${valid.length} users (${created} new, ${updated} updated)`, { imported: valid.length, created, updated });
  return EXIT.ok;
}
