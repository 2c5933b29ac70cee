/**
 * Signed, expiring acknowledge links. A token is `<notification id>.<expiry, base36 seconds>.<MAC>`
 * with the MAC a truncated HMAC-SHA256 (132 bits): short enough for an SMS, and it carries no
 * email or phone (SMS links end up in carrier logs). The ack page looks the rest up by id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock';

export const DEFAULT_LINK_TTL_MS = 24 * 60 * 60 * 1000;
const MAC_CHARS = 22;
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
  private readonly key: Buffer;
  private readonly base: string;
  private readonly ttlMs: number;

  constructor(private readonly opts: AckLinkOptions) {
    if (opts.secret.length < 16) throw new Error('DOZVON_LINK_SECRET must be at least 16 characters');
    this.key = Buffer.from(opts.secret, 'utf8');
    this.base = opts.publicUrl.endsWith('/') ? opts.publicUrl : opts.publicUrl + '/';
    this.ttlMs = opts.ttlMs ?? DEFAULT_LINK_TTL_MS;
  }

  token(notificationId: string | number, ttlMs = this.ttlMs): string {
    const id = String(notificationId);
    if (!ID.test(id)) throw new Error(`notification id "${id}" cannot go into a link`);
    const exp = Math.ceil((this.opts.clock.now() + ttlMs) / 1000).toString(36);
    return `${id}.${exp}.${this.mac(`${id}.${exp}`)}`;
  }

  url(notificationId: string | number, ttlMs?: number): string {
    return `${this.base}ack/${this.token(notificationId, ttlMs)}`;
  }

  /** Signature first (so a forged expiry reads as invalid, not expired), then expiry. */
  verify(token: string): VerifyResult {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || !ID.test(parts[0]) || !/^[0-9a-z]{1,10}$/.test(parts[1])) return { ok: false, reason: 'invalid' };
    const given = Buffer.from(parts[2], 'utf8');
    const want = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`), 'utf8');
    if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid' };
    const expiresAt = parseInt(parts[1], 36) * 1000;
    if (this.opts.clock.now() >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { notificationId: parts[0], expiresAt } };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update('dozvon-ack:' + payload).digest('base64url').slice(0, MAC_CHARS);
  }
}
