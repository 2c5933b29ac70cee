/**
 * CSRF tokens for session-backed forms: an HMAC of the session's nonce under a key derived from
 * the admin token. Another site can neither read nor guess it; a new session gets a new one.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../http/auth';

export class CsrfTokens {
  private readonly key: Buffer;

  constructor(adminToken: string) {
    this.key = createHmac('sha256', adminToken).update('dozvon console csrf key v1').digest();
  }

  tokenFor(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }

  matches(nonce: string, given: unknown): boolean {
    return typeof given === 'string' && given !== '' && safeEqual(given, this.tokenFor(nonce));
  }
}
