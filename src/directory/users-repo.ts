/** The user directory table. Email is matched case-insensitively through `email_key`. */
import type { Db } from '../db/knex';
import { publicId } from '../core/ids';
import { AppError, NotFoundError } from '../core/errors';
import type { Channel, Lang, Role, User, UserCreate, UserPatch, UserPhone } from './user';
import { hashPin } from './pin';
import { phonesOf, requestedPhones, userIdsWithNumber, writePhones } from './user-phones';

interface UserRow {
  id: number;
  public_id: string;
  email: string;
  email_key: string;
  name: string;
  username: string;
  phone: string | null;
  phone_verified: number | boolean;
  lang: string;
  role: string;
  channels: string;
  pin_hash: string | null;
  oncall_token: string | null;
  timezone: string | null;
  contacts: string;
  created_at: number | string;
  updated_at: number | string;
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(r: UserRow, phones: UserPhone[]): User {
  return {
    id: r.id,
    publicId: r.public_id,
    email: r.email,
    name: r.name,
    username: r.username,
    phone: r.phone,
    phoneVerified: Boolean(r.phone_verified),
    phones,
    lang: r.lang as Lang,
    role: r.role as Role,
    channels: JSON.parse(r.channels) as Channel[],
    hasPin: r.pin_hash !== null,
    hasOncallToken: r.oncall_token !== null,
    timezone: r.timezone,
    contacts: JSON.parse(r.contacts) as Record<string, string>,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** users.phone / phone_verified mirror the first phone for the readers that want one number. */
function firstPhone(phones: UserPhone[]): Pick<UserRow, 'phone' | 'phone_verified'> {
  return { phone: phones[0]?.number ?? null, phone_verified: phones[0]?.verified ?? false };
}

export interface UserListQuery {
  email?: string;
  username?: string;
  roles?: Role[];
  offset?: number;
  limit?: number;
}

export class UsersRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** `pinHash`: the hash of `input.pin`, computed before a transaction (scrypt is slow; the connection stays free). */
  async create(input: UserCreate, defaults: { lang: Lang; pinHash?: string }): Promise<User> {
    const key = emailKey(input.email);
    if (await this.findRowByEmail(key)) throw new AppError('conflict', `a user with email ${input.email} already exists`);
    const t = this.now();
    const phones = requestedPhones(input, []) ?? [];
    const row = {
      public_id: publicId('U'),
      email: input.email.trim(),
      email_key: key,
      name: input.name,
      username: input.username ?? input.email.trim().split('@')[0],
      // A number an operator typed in counts as verified unless they say otherwise; `users verify` confirms it by SMS or call.
      ...firstPhone(phones),
      lang: input.lang ?? defaults.lang,
      role: input.role ?? 'editor',
      channels: JSON.stringify(input.channels ?? (phones.length > 0 ? ['voice', 'sms'] : ['push'])),
      pin_hash: input.pin ? (defaults.pinHash ?? (await hashPin(input.pin))) : null,
      oncall_token: input.oncall_token ?? null,
      timezone: input.timezone ?? null,
      contacts: JSON.stringify(input.contacts ?? {}),
      created_at: t,
      updated_at: t,
    };
    await this.db('users').insert(row);
    const created = (await this.findRowByEmail(key))!;
    await writePhones(this.db, created.id, phones);
    return (await this.getById(created.id))!;
  }

  async update(email: string, patch: UserPatch, pinHash?: string): Promise<User> {
    const row = await this.findRowByEmail(emailKey(email));
    if (!row) throw new NotFoundError(`user ${email}`);
    const changes: Partial<UserRow> = { updated_at: this.now() };
    if (patch.email !== undefined && emailKey(patch.email) !== row.email_key) {
      if (await this.findRowByEmail(emailKey(patch.email)))
        throw new AppError('conflict', `a user with email ${patch.email} already exists`);
      changes.email = patch.email.trim();
      changes.email_key = emailKey(patch.email);
    }
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.username !== undefined) changes.username = patch.username;
    const phones = requestedPhones(patch, (await phonesOf(this.db, [row.id])).get(row.id) ?? []);
    if (phones) {
      Object.assign(changes, firstPhone(phones));
      await writePhones(this.db, row.id, phones);
    }
    if (patch.lang !== undefined) changes.lang = patch.lang;
    if (patch.role !== undefined) changes.role = patch.role;
    if (patch.channels !== undefined) changes.channels = JSON.stringify(patch.channels);
    if (patch.pin !== undefined) changes.pin_hash = patch.pin === null ? null : (pinHash ?? (await hashPin(patch.pin)));
    if (patch.oncall_token !== undefined) changes.oncall_token = patch.oncall_token;
    if (patch.timezone !== undefined) changes.timezone = patch.timezone;
    if (patch.contacts !== undefined) changes.contacts = JSON.stringify(patch.contacts);
    await this.db('users').where({ id: row.id }).update(changes);
    return (await this.getById(row.id))!;
  }

  async remove(email: string): Promise<boolean> {
    const n = await this.db('users')
      .where({ email_key: emailKey(email) })
      .delete();
    return n > 0;
  }

  async getByEmail(email: string): Promise<User | null> {
    const r = await this.findRowByEmail(emailKey(email));
    return r ? (await this.withPhones([r]))[0] : null;
  }

  /** Marks one of the person's numbers verified or not (a number no longer theirs changes nothing). */
  async setPhoneVerified(id: number, number: string, verified: boolean): Promise<User | null> {
    const list = (await phonesOf(this.db, [id])).get(id) ?? [];
    const at = list.findIndex((p) => p.number === number);
    if (at < 0) return this.getById(id);
    await this.db('user_phones').where({ user_id: id, position: at }).update({ verified });
    if (at === 0) await this.db('users').where({ id }).update({ phone_verified: verified, updated_at: this.now() });
    return this.getById(id);
  }

  /** Many users by email in one query (inside the caller's transaction when given). */
  async getManyByEmail(emails: string[], tx?: Db): Promise<Map<string, User>> {
    const keys = [...new Set(emails.map(emailKey))];
    const out = new Map<string, User>();
    if (keys.length === 0) return out;
    const rows = (await (tx ?? this.db)('users').whereIn('email_key', keys)) as UserRow[];
    for (const u of await this.withPhones(rows, tx)) out.set(emailKey(u.email), u);
    return out;
  }

  /** Many users by id in one query (a burst of pages for several people), by id. */
  async getManyById(ids: number[]): Promise<Map<number, User>> {
    const out = new Map<number, User>();
    if (ids.length === 0) return out;
    const rows = (await this.db('users').whereIn('id', [...new Set(ids)])) as UserRow[];
    for (const u of await this.withPhones(rows)) out.set(u.id, u);
    return out;
  }

  async getById(id: number): Promise<User | null> {
    const r = (await this.db('users').where({ id }).first()) as UserRow | undefined;
    return r ? (await this.withPhones([r]))[0] : null;
  }

  /** The person who has this number among their phones (any of them, not only the first). */
  async getByPhone(phone: string): Promise<User | null> {
    const [id] = await userIdsWithNumber(this.db, [phone], undefined, 1);
    return id === undefined ? null : this.getById(id);
  }

  /**
   * Users whose phone is these digits, or (from 4 digits on) ends with them: how a hotline caller
   * from an unknown number says who they are. At most `limit` rows; callers want exactly one.
   */
  async byPhoneEnding(digits: string, limit = 2): Promise<User[]> {
    if (!/^[0-9]{2,15}$/.test(digits)) return [];
    const ids = await userIdsWithNumber(this.db, [digits, `+${digits}`], digits.length >= 4 ? digits : undefined, limit);
    const rows = (await this.db('users').whereIn('id', ids).orderBy('id')) as UserRow[];
    return this.withPhones(rows);
  }

  /** Secrets that only the directory's owners may read (PIN check, acting as the user in OnCall). */
  async secrets(id: number): Promise<{ pinHash: string | null; oncallToken: string | null }> {
    const r = (await this.db('users').where({ id }).select('pin_hash', 'oncall_token').first()) as
      Pick<UserRow, 'pin_hash' | 'oncall_token'> | undefined;
    return { pinHash: r?.pin_hash ?? null, oncallToken: r?.oncall_token ?? null };
  }

  async list(q: UserListQuery = {}): Promise<{ users: User[]; total: number }> {
    const base = this.db('users').where((b) => {
      if (q.email !== undefined) b.where('email_key', emailKey(q.email));
      if (q.username !== undefined) b.whereRaw('lower(username) = ?', [q.username.toLowerCase()]);
      if (q.roles && q.roles.length) b.whereIn('role', q.roles);
    });
    const countRow = (await base.clone().count<{ n: number | string }[]>({ n: '*' }))[0];
    const rows = (await base
      .clone()
      .orderBy('id')
      .offset(q.offset ?? 0)
      .limit(q.limit ?? 1000)) as UserRow[];
    return { users: await this.withPhones(rows), total: Number(countRow?.n ?? 0) };
  }

  private async withPhones(rows: UserRow[], tx?: Db): Promise<User[]> {
    const phones = await phonesOf(
      tx ?? this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toUser(r, phones.get(r.id) ?? []));
  }

  private async findRowByEmail(key: string): Promise<UserRow | undefined> {
    return (await this.db('users').where({ email_key: key }).first()) as UserRow | undefined;
  }
}
