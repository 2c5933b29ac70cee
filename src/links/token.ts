/**
 * Signed, expiring acknowledge links: `<notification id>.<expiry>.<MAC>` (see signed-token.ts). The
 * token carries no email or phone; the ack page looks the rest up by id.
 */
import type { Clock } from '../core/clock';
import { SignedToken } from './signed-token';

export const DEFAULT_LINK_TTL_MS = 24 * 60 * 60 * 1000;
const ID = /^[A-Za-z0-9_-]{1,40}$/;

export interface LinkClaims {
  notificationId: string;
  expiresAt: number;
}

export type VerifyResult = { ok: true; claims: LinkClaims } | { ok: false; reason: 'invalid' | 'expired' };

export interface AckLinkOptions {
  secret: string;
  clock: Clock;
  /** DOZVON_PUBLIC_URL; links are `<publicUrl>ack/<token>`. */
  publicUrl: string;
  ttlMs?: number;
}

export class AckLinks {
  private readonly signer: SignedToken;
  private readonly base: string;
  private readonly ttlMs: number;

  constructor(private readonly opts: AckLinkOptions) {
    if (opts.secret.length < 16) throw new Error('DOZVON_LINK_SECRET must be at least 16 characters');
    this.signer = new SignedToken(opts.secret, 'dozvon-ack:', ID);
    this.base = opts.publicUrl.endsWith('/') ? opts.publicUrl : opts.publicUrl + '/';
    this.ttlMs = opts.ttlMs ?? DEFAULT_LINK_TTL_MS;
  }

  token(notificationId: string | number, ttlMs = this.ttlMs): string {
    const id = String(notificationId);
    const token = this.signer.sign(id, this.opts.clock.now() + ttlMs);
    if (token === null) throw new Error(`notification id "${id}" cannot go into a link`);
    return token;
  }

  url(notificationId: string | number, ttlMs?: number): string {
    return `${this.base}ack/${this.token(notificationId, ttlMs)}`;
  }

  verify(token: string): VerifyResult {
    const c = this.signer.check(token, this.opts.clock.now());
    return c.ok ? { ok: true, claims: { notificationId: c.id, expiresAt: c.expiresAt } } : c;
  }
}
