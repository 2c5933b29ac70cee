/** Service-wide values kept in the database (shared by every instance). */
import { randomBytes } from 'node:crypto';
import type { Db } from './knex';

export class KvRepo {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | null> {
    const r = (await this.db('kv').where({ key }).first()) as { value: string } | undefined;
    return r?.value ?? null;
  }

  /** The stored value, or a new random one stored first; two instances racing agree on the winner's. */
  async secret(key: string): Promise<string> {
    const existing = await this.get(key);
    if (existing) return existing;
    await this.db('kv').insert({ key, value: randomBytes(32).toString('base64url'), updated_at: this.now() }).onConflict('key').ignore();
    return (await this.get(key))!;
  }
}
