/**
 * Importing people from a YAML list (or a `users:` list) or a CSV table: read, validate every
 * entry, plan what would change, then write. `dozvon users import` and the console's import share
 * it, so both accept the same files with the same messages; the console shows the plan first.
 * Phones and PINs keep the text they were written with: an unquoted 0123 or +1555… in YAML would
 * otherwise lose its 0 or its +.
 */
import { parseYaml, parseYamlKeepingText } from '../core/yaml';
import { describeIssues } from '../core/validate';
import type { UsersRepo } from './users-repo';
import { userCreateSchema, userPatchSchema, type Lang, type User, type UserCreate, type UserPhone } from './user';
import { requestedPhones } from './user-phones';
import { verifyPin } from './pin';
import { unreachable } from './reachable';
import { CsvError, parseUsersCsv, type ReadReason } from './import-csv';

export type { ReadReason } from './import-csv';

export type ImportFormat = 'yaml' | 'csv';

/** The file cannot be read as a list of people at all (bad YAML, not a list, bad CSV header). */
export class ImportReadError extends Error {
  constructor(
    message: string,
    readonly reason: ReadReason,
  ) {
    super(message);
  }
}

export interface ImportList {
  /** The entries, phones and PINs as written. */
  list: unknown[];
  /** The same entries as plain YAML reads them (to explain a PIN that lost its leading zero). */
  plain: unknown[];
}

/** One valid entry; `entry` counts from 1 as the messages do. */
export interface ImportEntry {
  entry: number;
  input: UserCreate;
}

/** A problem with one entry, worded as the CLI prints it ("entry 2: email: …"), and why, for other languages. */
export interface ImportProblem {
  entry: number;
  message: string;
  reason: ImportReason;
}

/**
 * Why an entry was refused: the fields the schema refused (and keys it does not know), an email
 * listed twice, or a new person nobody could page.
 */
export type ImportReason =
  | { kind: 'invalid'; fields: string[]; unknownKeys: string[]; unquotedPin: boolean }
  | { kind: 'twice'; email: string }
  | { kind: 'unreachable'; email: string };

export type PlanStatus = 'new' | 'updated' | 'unchanged';

export interface PlannedEntry extends ImportEntry {
  status: PlanStatus;
  /** The fields that would change (updated), or that are given (new). */
  changes: string[];
}

export interface ImportPlan {
  entries: PlannedEntry[];
  /** New people with neither a phone nor a contact: the import must not add them. */
  unreachable: ImportProblem[];
}

/** First non-blank, non-comment line is a header starting with `email,` → CSV; anything else is YAML. */
export function guessFormat(text: string): ImportFormat {
  const first =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return /^\s*"?email"?\s*,/i.test(first) ? 'csv' : 'yaml';
}

export function readImportList(text: string, source: string, format: ImportFormat): ImportList {
  if (format === 'csv') {
    try {
      const list = parseUsersCsv(text, source);
      return { list, plain: list };
    } catch (e) {
      if (e instanceof CsvError) throw new ImportReadError(e.message, e.reason);
      throw e;
    }
  }
  let doc: unknown;
  let plain: unknown;
  try {
    doc = parseYamlKeepingText(text, source, ['phone', 'phones', 'number', 'pin']);
    plain = parseYaml(text, source);
  } catch (e) {
    throw new ImportReadError((e as Error).message, { code: 'yaml', vars: { detail: (e as Error).message } });
  }
  const listOf = (d: unknown): unknown => (Array.isArray(d) ? d : (d as { users?: unknown })?.users);
  const list = listOf(doc);
  if (!Array.isArray(list))
    throw new ImportReadError(`${source}: expected a list of users (or a "users:" list)`, { code: 'notList', vars: {} });
  const plainList = listOf(plain);
  return { list, plain: Array.isArray(plainList) ? plainList : [] };
}

/** Every entry through the schema `users add` uses; an email listed twice is a problem too. */
export function validateImport({ list, plain }: ImportList): { valid: ImportEntry[]; problems: ImportProblem[] } {
  const valid: ImportEntry[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const entry = i + 1;
    const parsed = userCreateSchema.safeParse(item);
    const unquotedPin = typeof (plain[i] as { pin?: unknown } | null)?.pin === 'number';
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.filter((x) => x.path.length > 0).map((x) => String(x.path[0])))];
      const unknownKeys = parsed.error.issues.flatMap((x) => (x.code === 'unrecognized_keys' ? x.keys : []));
      const pinQuote = fields.includes('pin') && unquotedPin;
      problems.push({
        entry,
        message: `entry ${entry}: ${describeIssues(parsed.error)}${pinQuote ? ' (YAML reads an unquoted PIN as a number: write it in quotes, e.g. pin: "0123")' : ''}`,
        reason: { kind: 'invalid', fields, unknownKeys, unquotedPin: pinQuote },
      });
    } else if (seen.has(parsed.data.email.toLowerCase()))
      problems.push({
        entry,
        message: `entry ${entry}: ${parsed.data.email} appears twice`,
        reason: { kind: 'twice', email: parsed.data.email },
      });
    else {
      seen.add(parsed.data.email.toLowerCase());
      valid.push({ entry, input: parsed.data });
    }
  });
  return { valid, problems };
}

/** What writing the valid entries would do, person by person; reads only. */
export async function planImport(users: UsersRepo, valid: ImportEntry[]): Promise<ImportPlan> {
  const entries: PlannedEntry[] = [];
  const nobody: ImportProblem[] = [];
  for (const e of valid) {
    const existing = await users.getByEmail(e.input.email);
    if (!existing) {
      const why = unreachable(e.input);
      if (why) nobody.push({ entry: e.entry, message: why, reason: { kind: 'unreachable', email: e.input.email } });
      entries.push({ ...e, status: 'new', changes: Object.keys(e.input).filter((k) => k !== 'email') });
      continue;
    }
    const changes = await changedFields(users, existing, e.input);
    entries.push({ ...e, status: changes.length ? 'updated' : 'unchanged', changes });
  }
  return { entries, unreachable: nobody };
}

/**
 * Writes the plan: new people are added, existing ones updated with what the entry gives (as
 * `users set` would, field by field). Whether a person exists is asked again at write time.
 * `skipUnchanged` leaves alone the people the plan found unchanged; `pinHashes` (by entry) are
 * the entries' PINs hashed already.
 */
export async function applyImport(
  users: UsersRepo,
  entries: PlannedEntry[],
  lang: Lang,
  opts: { skipUnchanged?: boolean; onEach?: (done: number, total: number) => void; pinHashes?: ReadonlyMap<number, string> } = {},
): Promise<{ created: string[]; updated: string[]; unchanged: string[] }> {
  const out = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
  for (const [i, e] of entries.entries()) {
    if (opts.skipUnchanged && e.status === 'unchanged') out.unchanged.push(e.input.email);
    else if (await users.getByEmail(e.input.email)) {
      await users.update(e.input.email, userPatchSchema.parse(e.input), opts.pinHashes?.get(e.entry));
      out.updated.push(e.input.email);
    } else {
      await users.create(e.input, { lang, pinHash: opts.pinHashes?.get(e.entry) });
      out.created.push(e.input.email);
    }
    opts.onEach?.(i + 1, entries.length);
  }
  return out;
}

/** The fields an update with this entry would change (a PIN is checked against its hash). */
async function changedFields(users: UsersRepo, u: User, input: UserCreate): Promise<string[]> {
  const changed: string[] = [];
  const differs = (k: string, a: unknown, b: unknown) => a !== undefined && a !== b && changed.push(k);
  differs('name', input.name, u.name);
  differs('username', input.username, u.username);
  differs('lang', input.lang, u.lang);
  differs('role', input.role, u.role);
  differs('timezone', input.timezone, u.timezone);
  // The list the repository would store: a number written again counts as verified unless the entry says otherwise.
  const phones = requestedPhones(input, u.phones);
  if (phones) {
    const listed = (l: UserPhone[]) => JSON.stringify(l.map((p) => [p.number, p.label]));
    if (listed(phones) !== listed(u.phones)) changed.push(input.phones !== undefined ? 'phones' : 'phone');
    if (phones.map((p) => p.verified).join() !== u.phones.map((p) => p.verified).join()) changed.push('phone_verified');
  }
  if (input.channels !== undefined && input.channels.join(',') !== u.channels.join(',')) changed.push('channels');
  if (input.contacts !== undefined && !sameRecord(input.contacts, u.contacts)) changed.push('contacts');
  if (input.pin !== undefined || input.oncall_token !== undefined) {
    const secrets = await users.secrets(u.id);
    if (input.pin !== undefined && !(await verifyPin(input.pin, secrets.pinHash))) changed.push('pin');
    if (input.oncall_token !== undefined && input.oncall_token !== secrets.oncallToken) changed.push('oncall_token');
  }
  return changed;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k]);
}
