/**
 * Verification codes: six random digits from crypto.randomInt, stored only as an HMAC. A plain hash
 * of a 6-digit code falls to a million guesses offline, so the HMAC key (the service's link secret)
 * is what keeps a copied database from revealing live codes; the per-verification id in the MAC
 * makes one code's hash useless for another verification.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_LENGTH = 6;
const CODE = /^[0-9]{6}$/;

export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

/** True for exactly six ASCII digits; anything else is a typo, not a guess. */
export function isCodeShaped(code: unknown): code is string {
  return typeof code === 'string' && CODE.test(code);
}

export class CodeHasher {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('the verification secret must be at least 16 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  hash(verificationId: string, code: string): string {
    return createHmac('sha256', this.key).update(`dozvon-verify-code:${verificationId}:${code}`).digest('hex');
  }

  /** Constant-time: the time taken says nothing about how many characters matched. */
  matches(verificationId: string, code: string, storedHash: string): boolean {
    const want = Buffer.from(storedHash, 'hex');
    const got = Buffer.from(this.hash(verificationId, code), 'hex');
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
