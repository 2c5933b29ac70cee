/** `dozvon users …`: the directory from the command line. */
import { readFileSync } from 'node:fs';
import { userCreateSchema, userPatchSchema, userView } from '../directory/user';
import { describeIssues } from '../core/validate';
import { unreachable } from '../directory/reachable';
import { readImportList, validateImport, planImport, applyImport, type ImportList } from '../directory/import';
import type { UsersRepo } from '../directory/users-repo';
import type { Lang, User } from '../directory/user';
import { AppError } from '../core/errors';
import { userChangeDetail } from '../audit';
import { Out, table, EXIT } from './output';

export { unreachable };

export interface UsersAddFlags {
  email: string;
  name: string;
  phone?: string;
  lang?: string;
  pin?: string;
  channels?: string;
  role?: string;
  timezone?: string;
  /** `--contact KEY=VALUE`, repeatable: fcm_device, telegram, ntfy… */
  contact?: string[];
}

export type UsersSetFlags = Partial<Omit<UsersAddFlags, 'email'>>;

/** Collects a repeatable `--contact KEY=VALUE` option. */
export function collectContact(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function contactsOf(list: string[] | undefined): Record<string, string> | string | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) return `--contact "${item}" is not KEY=VALUE (e.g. --contact fcm_device=abc123)`;
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

function flagsInput(flags: Record<string, unknown>): Record<string, unknown> | string {
  const { contact, ...rest } = flags as { contact?: string[] } & Record<string, unknown>;
  const input: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const contacts = contactsOf(contact);
  if (typeof contacts === 'string') return contacts;
  if (contacts) input.contacts = contacts;
  return input;
}

/** Writes one audit entry for a change the command made (the program gives one bound to the database). */
export type CliAudit = (action: string, target: string, detail?: Record<string, unknown> | null) => Promise<void>;
const noAudit: CliAudit = async () => undefined;

export async function usersAdd(users: UsersRepo, flags: UsersAddFlags, lang: Lang, out: Out, audit: CliAudit = noAudit): Promise<number> {
  const input = flagsInput({ ...flags });
  if (typeof input === 'string') return usage(out, input);
  const parsed = userCreateSchema.safeParse(input);
  if (!parsed.success) return usage(out, describeIssues(parsed.error));
  const nobody = unreachable(parsed.data);
  if (nobody) return usage(out, nobody);
  try {
    const u = await users.create(parsed.data, { lang });
    await audit('user.create', u.email, userChangeDetail(parsed.data));
    out.print(`added ${u.email} (${u.publicId})`, userView(u));
    return EXIT.ok;
  } catch (e) {
    return refused(e, out);
  }
}

/** `users set EMAIL [--name --phone --lang --pin --channels --contact …]`: changes only what is given. */
export async function usersSet(users: UsersRepo, email: string, flags: UsersSetFlags, out: Out, audit: CliAudit = noAudit): Promise<number> {
  const input = flagsInput({ ...flags });
  if (typeof input === 'string') return usage(out, input);
  if (!Object.keys(input).length) return usage(out, 'nothing to change: give at least one of --name, --phone, --lang, --pin, --channels, --contact, --role, --timezone');
  const parsed = userPatchSchema.safeParse(input);
  if (!parsed.success) return usage(out, describeIssues(parsed.error));
  const before = await users.getByEmail(email);
  if (!before) {
    out.error(`no user with email ${email}`);
    return EXIT.failure;
  }
  // Contacts given here are added to (or replace the same keys of) the ones already stored.
  const patch = parsed.data.contacts ? { ...parsed.data, contacts: { ...before.contacts, ...parsed.data.contacts } } : parsed.data;
  try {
    const u: User = await users.update(email, patch);
    await audit('user.update', u.email, userChangeDetail(parsed.data));
    out.print(`updated ${u.email}: ${Object.keys(input).join(', ')}`, userView(u));
    return EXIT.ok;
  } catch (e) {
    return refused(e, out);
  }
}

/** A conflict or invalid value is bad input (exit 2); anything else a failure. */
function refused(e: unknown, out: Out): number {
  out.error((e as Error).message);
  return e instanceof AppError && (e.code === 'conflict' || e.code === 'invalid') ? EXIT.usage : EXIT.failure;
}

function usage(out: Out, message: string): number {
  out.error(message);
  return EXIT.usage;
}

export async function usersList(users: UsersRepo, out: Out): Promise<number> {
  const { users: list } = await users.list({ limit: 100000 });
  const views = list.map((u) => userView(u));
  out.print(list.length ? table(views, ['email', 'name', 'phone', 'lang', 'channels', 'has_pin']) : 'no users', { count: list.length, results: views });
  return EXIT.ok;
}

export async function usersRemove(users: UsersRepo, email: string, out: Out, audit: CliAudit = noAudit): Promise<number> {
  if (!(await users.remove(email))) {
    out.error(`no user with email ${email}`);
    return EXIT.failure;
  }
  await audit('user.remove', email);
  out.print(`removed ${email}`, { removed: email });
  return EXIT.ok;
}

/**
 * Imports a YAML list (or `users:` list) of people. Every entry is validated first; one bad
 * entry stops the import before anything is written. Existing emails are updated.
 */
export async function usersImport(users: UsersRepo, file: string, lang: Lang, out: Out, read: (p: string) => string = (p) => readFileSync(p, 'utf8'), audit: CliAudit = noAudit): Promise<number> {
  let entries: ImportList;
  try {
    entries = readImportList(read(file), file, 'yaml');
  } catch (e) {
    out.error((e as Error).message);
    return EXIT.usage;
  }
  const { valid, problems } = validateImport(entries);
  if (problems.length) {
    for (const p of problems) out.error(p.message);
    out.print(`nothing imported: ${problems.length} invalid entr${problems.length === 1 ? 'y' : 'ies'}`, { imported: 0, errors: problems.map((p) => p.message) });
    return EXIT.usage;
  }
  const plan = await planImport(users, valid);
  if (plan.unreachable.length) {
    const nobody = plan.unreachable.map((p) => p.message);
    for (const p of nobody) out.error(p);
    out.print(`nothing imported: ${nobody.length} unreachable ${nobody.length === 1 ? 'person' : 'people'}`, { imported: 0, errors: nobody });
    return EXIT.usage;
  }
  const done = await applyImport(users, plan.entries, lang, { onEach: (n, total) => out.progress(n, total, 'importing users') });
  const created = done.created.length;
  const updated = done.updated.length;
  await audit('user.import', file, { created: done.created, updated: done.updated });
  out.print(`imported ${valid.length} users (${created} new, ${updated} updated)`, { imported: valid.length, created, updated });
  return EXIT.ok;
}
