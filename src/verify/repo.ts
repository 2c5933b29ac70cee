/**
 * The phone_verifications table: one row per person, replaced by each new code. Every check that
 * guards a limit (one send per minute, five tries) is a conditional UPDATE, so two requests racing
 * on SQLite or PostgreSQL cannot both pass it.
 */
import type { Db } from '../db/knex';

export type VerificationMethod = 'sms' | 'call';
export type VerificationState = 'pending' | 'confirmed' | 'locked' | 'failed';

export interface VerificationRow {
  id: number;
  userId: number;
  linkId: string;
  phone: string;
  method: VerificationMethod;
  codeHash: string | null;
  state: VerificationState;
  attempts: number;
  wasVerified: boolean;
  sentAt: number;
  expiresAt: number;
  confirmedAt: number | null;
}

interface Row {
  id: number;
  user_id: number;
  link_id: string;
  phone: string;
  method: string;
  code_hash: string | null;
  state: string;
  attempts: number;
  was_verified: number | boolean;
  sent_at: number | string;
  expires_at: number | string;
  confirmed_at: number | string | null;
}

function toRow(r: Row): VerificationRow {
  return {
    id: r.id,
    userId: r.user_id,
    linkId: r.link_id,
    phone: r.phone,
    method: r.method as VerificationMethod,
    codeHash: r.code_hash,
    state: r.state as VerificationState,
    attempts: Number(r.attempts),
    wasVerified: Boolean(r.was_verified),
    sentAt: Number(r.sent_at),
    expiresAt: Number(r.expires_at),
    confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
  };
}

export interface NewVerification {
  userId: number;
  linkId: string;
  phone: string;
  method: VerificationMethod;
  codeHash: string;
  wasVerified: boolean;
  sentAt: number;
  expiresAt: number;
}

const TABLE = 'phone_verifications';

export class PhoneVerificationsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores a new pending code unless one was sent after `notSentAfter`; returns false then.
   * The UPDATE covers the common case, the INSERT the first verification; a unique-key clash on
   * the INSERT means a concurrent start won, which is the same "too soon".
   */
  async reserve(v: NewVerification, notSentAfter: number): Promise<boolean> {
    const fields = {
      link_id: v.linkId,
      phone: v.phone,
      method: v.method,
      code_hash: v.codeHash,
      state: 'pending',
      attempts: 0,
      was_verified: v.wasVerified,
      sent_at: v.sentAt,
      expires_at: v.expiresAt,
      confirmed_at: null,
      updated_at: v.sentAt,
    };
    const n = await this.db(TABLE).where({ user_id: v.userId }).andWhere('sent_at', '<=', notSentAfter).update(fields);
    if (n > 0) return true;
    if (await this.forUser(v.userId)) return false;
    try {
      await this.db(TABLE).insert({ user_id: v.userId, ...fields });
      return true;
    } catch (e) {
      if (await this.forUser(v.userId)) return false;
      throw e;
    }
  }

  async forUser(userId: number): Promise<VerificationRow | null> {
    const r = (await this.db(TABLE).where({ user_id: userId }).first()) as Row | undefined;
    return r ? toRow(r) : null;
  }

  async byLinkId(linkId: string): Promise<VerificationRow | null> {
    const r = (await this.db(TABLE).where({ link_id: linkId }).first()) as Row | undefined;
    return r ? toRow(r) : null;
  }

  /** Counts one try; false when the code is no longer pending or its tries are used up. */
  async countAttempt(id: number, maxAttempts: number, now: number): Promise<boolean> {
    const n = await this.db(TABLE)
      .where({ id, state: 'pending' })
      .andWhere('attempts', '<', maxAttempts)
      .update({ attempts: this.db.raw('attempts + 1'), updated_at: now });
    return n > 0;
  }

  /** Moves a pending code to a final state and forgets its hash; false when it was not pending any more. */
  async settle(
    id: number,
    state: Exclude<VerificationState, 'pending'>,
    now: number,
    opts: { releaseSendSlot?: boolean } = {},
  ): Promise<boolean> {
    const changes: Record<string, unknown> = { state, code_hash: null, updated_at: now };
    if (state === 'confirmed') changes.confirmed_at = now;
    // A code that never left (gateway refused it) must not block the next try for a minute.
    if (opts.releaseSendSlot) changes.sent_at = 0;
    const n = await this.db(TABLE).where({ id, state: 'pending' }).update(changes);
    return n > 0;
  }
}
