/** Service-wide values kept in the database (shared by every instance). */
import { randomBytes } from 'node:crypto';
import type { Db } from './knex';

export class KvRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | null> {
    const r = (await this.db('kv').where({ key }).first()) as { value: string } | undefined;
    return r?.value ?? null;
  }

  /** Stores the value, replacing any earlier one. */
  async set(key: string, value: string): Promise<void> {
    await this.db('kv').insert({ key, value, updated_at: this.now() }).onConflict('key').merge(['value', 'updated_at']);
  }

  /** True when there was a value to remove. */
  async delete(key: string): Promise<boolean> {
    return (await this.db('kv').where({ key }).del()) > 0;
  }

  /** The stored value, or a new random one stored first; two instances racing agree on the winner's. */
  async secret(key: string): Promise<string> {
    const existing = await this.get(key);
    if (existing) return existing;
    await this.db('kv')
      .insert({ key, value: randomBytes(32).toString('base64url'), updated_at: this.now() })
      .onConflict('key')
      .ignore();
    return (await this.get(key))!;
  }
}
