/** `dozvon users …`: the directory from the command line. */
import { readFileSync } from 'node:fs';
import { userCreateSchema, userPatchSchema, userView } from '../directory/user';
import { describeIssues } from '../core/validate';
import { unreachable } from '../directory/reachable';
import { readImportList, validateImport, planImport, type ImportList } from '../directory/import';
import type { UsersRepo } from '../directory/users-repo';
import type { User } from '../directory/user';
import type { People } from '../directory/people-service';
import { AppError } from '../core/errors';
import { phoneItem } from '../directory/phone-items';
import { Out, table, EXIT } from './output';

export { unreachable };

export interface UsersAddFlags {
  email: string;
  name: string;
  /** `--phone [LABEL=]NUMBER`, repeatable: the person's phones in dialling order. */
  phone?: string[];
  lang?: string;
  pin?: string;
  channels?: string;
  role?: string;
  timezone?: string;
  /** `--contact KEY=VALUE`, repeatable: fcm_device, telegram, ntfy… */
  contact?: string[];
}

export type UsersSetFlags = Partial<Omit<UsersAddFlags, 'email'>>;

/** Collects a repeatable option: `--contact KEY=VALUE`, `--phone [LABEL=]NUMBER`. */
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

/**
 * One bare `--phone` stays the one-phone shorthand (as before several phones); more, or one with
 * a label (`--phone desk=+15551234567`), become the ordered `phones` list.
 */
function phonesOf(list: string[] | undefined): Record<string, unknown> {
  if (!list?.length) return {};
  const entries = list.map(phoneItem);
  if (entries.length === 1 && entries[0].label === undefined) return { phone: entries[0].number };
  return { phones: entries };
}

function flagsInput(flags: Record<string, unknown>): Record<string, unknown> | string {
  const { contact, phone, ...rest } = flags as { contact?: string[]; phone?: string[] } & Record<string, unknown>;
  const input: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  Object.assign(input, phonesOf(phone));
  const contacts = contactsOf(contact);
  if (typeof contacts === 'string') return contacts;
  if (contacts) input.contacts = contacts;
  return input;
}

/** What a users command works with: it reads the repository and changes people through People, as `actor`. */
export interface CliDirectory {
  users: UsersRepo;
  people: People;
  actor: string;
}

export async function usersAdd(dir: CliDirectory, flags: UsersAddFlags, out: Out): Promise<number> {
  const input = flagsInput({ ...flags });
  if (typeof input === 'string') return usage(out, input);
  const parsed = userCreateSchema.safeParse(input);
  if (!parsed.success) return usage(out, describeIssues(parsed.error));
  const nobody = unreachable(parsed.data);
  if (nobody) return usage(out, nobody);
  try {
    const u = await dir.people.create(dir.actor, parsed.data);
    out.print(`added ${u.email} (${u.publicId})`, userView(u));
    return EXIT.ok;
  } catch (e) {
    return refused(e, out);
  }
}

/** `users set EMAIL [--name --phone --lang --pin --channels --contact …]`: changes only what is given. */
export async function usersSet(dir: CliDirectory, email: string, flags: UsersSetFlags, out: Out): Promise<number> {
  const input = flagsInput({ ...flags });
  if (typeof input === 'string') return usage(out, input);
  if (!Object.keys(input).length)
    return usage(out, 'nothing to change: give at least one of --name, --phone, --lang, --pin, --channels, --contact, --role, --timezone');
  const parsed = userPatchSchema.safeParse(input);
  if (!parsed.success) return usage(out, describeIssues(parsed.error));
  const before = await dir.users.getByEmail(email);
  if (!before) {
    out.error(`no user with email ${email}`);
    return EXIT.failure;
  }
  // Contacts given here are added to (or replace the same keys of) the ones already stored.
  const patch = parsed.data.contacts ? { ...parsed.data, contacts: { ...before.contacts, ...parsed.data.contacts } } : parsed.data;
  try {
    const u: User = await dir.people.update(dir.actor, email, patch);
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
  out.print(list.length ? table(views, ['email', 'name', 'phone', 'lang', 'channels', 'has_pin']) : 'no users', {
    count: list.length,
    results: views,
  });
  return EXIT.ok;
}

export async function usersRemove(dir: CliDirectory, email: string, out: Out): Promise<number> {
  if (!(await dir.people.remove(dir.actor, email))) {
    out.error(`no user with email ${email}`);
    return EXIT.failure;
  }
  out.print(`removed ${email}`, { removed: email });
  return EXIT.ok;
}

/**
 * Imports a YAML list (or `users:` list) of people. Every entry is validated first; one bad
 * entry stops the import before anything is written. Existing emails are updated; the writes
 * are one transaction, so a failure half-way leaves the directory as it was.
 */
export async function usersImport(
  dir: CliDirectory,
  file: string,
  out: Out,
  read: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Promise<number> {
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
    out.print(`nothing imported: ${problems.length} invalid entr${problems.length === 1 ? 'y' : 'ies'}`, {
      imported: 0,
      errors: problems.map((p) => p.message),
    });
    return EXIT.usage;
  }
  const plan = await planImport(dir.users, valid);
  if (plan.unreachable.length) {
    const nobody = plan.unreachable.map((p) => p.message);
    for (const p of nobody) out.error(p);
    out.print(`nothing imported: ${nobody.length} unreachable ${nobody.length === 1 ? 'person' : 'people'}`, {
      imported: 0,
      errors: nobody,
    });
    return EXIT.usage;
  }
  const done = await dir.people.import(dir.actor, {
    source: file,
    format: 'yaml',
    entries: plan.entries,
    onEach: (n, total) => out.progress(n, total, 'importing users'),
  });
  const created = done.created.length;
  const updated = done.updated.length;
  out.print(`imported ${valid.length} users (${created} new, ${updated} updated)`, { imported: valid.length, created, updated });
  return EXIT.ok;
}
