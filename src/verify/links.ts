/**
 * Signed confirmation links, `<publicUrl>verify/<token>`, with the ack links' token format
 * `<verification id>.<expiry>.<MAC>` (see links/signed-token.ts): no email, phone or code in it.
 * A new code gets a new id, so a newer SMS makes older links stale.
 */
import type { Clock } from '../core/clock';
import { SignedToken } from '../links/signed-token';

const ID = /^[A-Za-z0-9_-]{8,40}$/;

export type LinkCheck = { ok: true; verificationId: string; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

export class VerifyLinks {
  private readonly signer: SignedToken;
  private readonly base: string;

  constructor(
    secret: string,
    publicUrl: string,
    private readonly clock: Clock,
  ) {
    if (secret.length < 16) throw new Error('the verification secret must be at least 16 characters');
    // Not the ack links' prefix: the same secret may sign both without one token passing as the other.
    this.signer = new SignedToken(secret, 'dozvon-verify:', ID);
    this.base = publicUrl.endsWith('/') ? publicUrl : publicUrl + '/';
  }

  token(verificationId: string, expiresAt: number): string {
    const token = this.signer.sign(verificationId, expiresAt);
    if (token === null) throw new Error('verification id cannot go into a link');
    return token;
  }

  url(verificationId: string, expiresAt: number): string {
    return `${this.base}verify/${this.token(verificationId, expiresAt)}`;
  }

  check(token: unknown): LinkCheck {
    const c = this.signer.check(token, this.clock.now());
    return c.ok ? { ok: true, verificationId: c.id, expiresAt: c.expiresAt } : c;
  }
}
