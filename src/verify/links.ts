/**
 * Signed confirmation links, `<publicUrl>verify/<token>`. A token is `<verification id>.<expiry,
 * base36 seconds>.<MAC>` (truncated HMAC-SHA256, 132 bits) in the style of the ack links: it carries
 * no email, phone or code, since SMS links end up in carrier logs. A new code gets a new id, so a
 * newer SMS makes older links stale.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock';

const MAC_CHARS = 22;
const ID = /^[A-Za-z0-9_-]{8,40}$/;

export type LinkCheck = { ok: true; verificationId: string; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

export class VerifyLinks {
  private readonly key: Buffer;
  private readonly base: string;

  constructor(secret: string, publicUrl: string, private readonly clock: Clock) {
    if (secret.length < 16) throw new Error('the verification secret must be at least 16 characters');
    this.key = Buffer.from(secret, 'utf8');
    this.base = publicUrl.endsWith('/') ? publicUrl : publicUrl + '/';
  }

  token(verificationId: string, expiresAt: number): string {
    if (!ID.test(verificationId)) throw new Error('verification id cannot go into a link');
    const exp = Math.ceil(expiresAt / 1000).toString(36);
    return `${verificationId}.${exp}.${this.mac(`${verificationId}.${exp}`)}`;
  }

  url(verificationId: string, expiresAt: number): string {
    return `${this.base}verify/${this.token(verificationId, expiresAt)}`;
  }

  /** Signature first (a forged expiry reads as invalid, not expired), then expiry. */
  check(token: unknown): LinkCheck {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || !ID.test(parts[0]) || !/^[0-9a-z]{1,10}$/.test(parts[1])) return { ok: false, reason: 'invalid' };
    const given = Buffer.from(parts[2], 'utf8');
    const want = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`), 'utf8');
    if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid' };
    const expiresAt = parseInt(parts[1], 36) * 1000;
    if (this.clock.now() >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, verificationId: parts[0], expiresAt };
  }

  private mac(payload: string): string {
    // A different prefix from the ack links: the same secret may sign both without one token passing as the other.
    return createHmac('sha256', this.key).update('dozvon-verify:' + payload).digest('base64url').slice(0, MAC_CHARS);
  }
}
