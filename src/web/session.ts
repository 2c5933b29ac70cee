/**
 * Browser sessions for the status page and the console: the cookie holds an expiry and a nonce signed with
 * HMAC-SHA256 under a key derived from DOZVON_ADMIN_TOKEN. Changing the token therefore logs every
 * browser out; logout revokes the nonce in the database (revocations.ts), and a stolen cookie
 * otherwise dies at its expiry.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'dozvon_session';
const VERSION = 'v1';

export class SessionSigner {
  private readonly key: Buffer;

  constructor(
    adminToken: string,
    private readonly ttlMs: number,
  ) {
    // A derived key, so the cookie signature is never a direct function of the token alone.
    this.key = createHmac('sha256', adminToken).update('dozvon status session key v1').digest();
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  issue(now: number): string {
    const body = `${VERSION}.${now + this.ttlMs}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${this.sign(body)}`;
  }

  verify(value: string | undefined, now: number): boolean {
    return this.read(value, now) !== null;
  }

  /** The session a valid, unexpired cookie names (its nonce is what logout revokes), else null. */
  read(value: string | undefined, now: number): { nonce: string; expiresAt: number } | null {
    if (!value) return null;
    const parts = value.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION || !/^\d{1,15}$/.test(parts[1]) || !/^[\w-]{1,32}$/.test(parts[2])) return null;
    const body = parts.slice(0, 3).join('.');
    const given = Buffer.from(parts[3], 'base64url');
    const expected = Buffer.from(this.sign(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const expiresAt = Number(parts[1]);
    return expiresAt > now ? { nonce: parts[2], expiresAt } : null;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** The value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `path` is the public URL's prefix (origin.ts cookiePath), so a cookie never leaks to other apps on the host. */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean, path = '/'): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    `Path=${path}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean, path = '/'): string {
  return sessionCookie('', 0, secure, path);
}
