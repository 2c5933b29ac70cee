/**
 * The one signing primitive behind the ack and verification links. A token is
 * `<id>.<expiry, base36 seconds>.<MAC>`, the MAC a truncated HMAC-SHA256 (22 base64url chars,
 * 132 bits): short enough for an SMS, and it carries nothing but an id, since SMS links end up in
 * carrier logs. Each caller passes its own domain prefix, so one secret may sign both kinds without
 * a token of one kind passing as the other. Changing anything here invalidates links already sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_CHARS = 22;
const EXPIRY = /^[0-9a-z]{1,10}$/;

export type TokenCheck = { ok: true; id: string; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

export class SignedToken {
  private readonly key: Buffer;

  /** `domain` is the MAC prefix (e.g. `dozvon-ack:`); `id` says which ids may go into a token. */
  constructor(
    secret: string,
    private readonly domain: string,
    private readonly id: RegExp,
  ) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /** Null when the id does not fit the pattern; callers throw with their own message. */
  sign(id: string, expiresAt: number): string | null {
    if (!this.id.test(id)) return null;
    const exp = Math.ceil(expiresAt / 1000).toString(36);
    return `${id}.${exp}.${this.mac(`${id}.${exp}`)}`;
  }

  /** Signature first (so a forged expiry reads as invalid, not expired), then expiry. */
  check(token: unknown, now: number): TokenCheck {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || !this.id.test(parts[0]) || !EXPIRY.test(parts[1])) return { ok: false, reason: 'invalid' };
    const given = Buffer.from(parts[2], 'utf8');
    const want = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`), 'utf8');
    // timingSafeEqual throws on unequal lengths; the length is public anyway.
    if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid' };
    const expiresAt = parseInt(parts[1], 36) * 1000;
    if (now >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, id: parts[0], expiresAt };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key)
      .update(this.domain + payload)
      .digest('base64url')
      .slice(0, MAC_CHARS);
  }
}
