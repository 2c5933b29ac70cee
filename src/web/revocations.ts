/**
 * Browser sessions ended by logout. The cookie is signed and carries its own expiry, so a copy
 * of it would stay valid for its 12 hours; logout writes its nonce here and every instance on the
 * database refuses it from then on. A row is kept only until the cookie would have expired anyway.
 */
import type { Db } from '../db/knex';

export interface SessionRevocations {
  revoke(nonce: string, expiresAt: number): Promise<void>;
  isRevoked(nonce: string): Promise<boolean>;
}

export class DbSessionRevocations implements SessionRevocations {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async revoke(nonce: string, expiresAt: number): Promise<void> {
    await this.db('revoked_sessions').insert({ nonce, expires_at: expiresAt }).onConflict('nonce').ignore();
    // Logouts are rare: tidying on each keeps the table to the sessions still able to expire.
    await this.db('revoked_sessions').where('expires_at', '<', this.now()).del();
  }

  async isRevoked(nonce: string): Promise<boolean> {
    return (await this.db('revoked_sessions').where({ nonce }).first()) !== undefined;
  }
}
