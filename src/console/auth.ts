/**
 * Who may use the console: a browser with the status page's session cookie (signed, revocable at
 * logout) or a script with `Authorization: Bearer <DOZVON_ADMIN_TOKEN>`. Forms are CSRF-safe:
 * the cookie is SameSite=Strict, every POST must come from our origin, and (for sessions) carry a
 * token derived from the session's nonce, which another site can neither read nor guess.
 */
import { createHmac } from 'node:crypto';
import type { Request } from '../http/express';
import { safeEqual } from '../http/auth';
import { clientKey } from '../http/limiter';
import { SessionSigner, SESSION_COOKIE, readCookie } from '../status/session';
import type { SessionRevocations } from '../status/revocations';

export type ConsoleUser = { kind: 'session'; nonce: string; actor: string } | { kind: 'bearer'; actor: string };

export class ConsoleAuth {
  private readonly signer: SessionSigner | null;
  private readonly csrfKey: Buffer | null;

  constructor(
    private readonly adminToken: string | null,
    private readonly revocations: SessionRevocations,
    private readonly now: () => number,
    sessionTtlMs = 12 * 3600_000,
  ) {
    this.signer = adminToken === null ? null : new SessionSigner(adminToken, sessionTtlMs);
    this.csrfKey = adminToken === null ? null : createHmac('sha256', adminToken).update('dozvon console csrf key v1').digest();
  }

  get enabled(): boolean {
    return this.adminToken !== null;
  }

  async who(req: Request): Promise<ConsoleUser | null> {
    if (this.adminToken === null || this.signer === null) return null;
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (m) return safeEqual(m[1].trim(), this.adminToken) ? { kind: 'bearer', actor: `admin token (${clientKey(req)})` } : null;
    const session = this.signer.read(readCookie(req.get('cookie'), SESSION_COOKIE), this.now());
    if (session === null || (await this.revocations.isRevoked(session.nonce))) return null;
    return { kind: 'session', nonce: session.nonce, actor: `console (session ${session.nonce.slice(0, 6)}, ${clientKey(req)})` };
  }

  /** The hidden form field for this session ("" for bearer callers, who need none). */
  csrfToken(user: ConsoleUser): string {
    if (user.kind !== 'session' || this.csrfKey === null) return '';
    return createHmac('sha256', this.csrfKey).update(user.nonce).digest('base64url');
  }

  checkCsrf(user: ConsoleUser, given: unknown): boolean {
    if (user.kind === 'bearer') return true; // no ambient credential: a bearer header cannot be forged cross-site
    return typeof given === 'string' && given !== '' && safeEqual(given, this.csrfToken(user));
  }
}

/** A browser's POST carries Origin; one from another site is refused before anything is read. */
export function fromOurOrigin(req: Request, publicUrl: string | undefined): boolean {
  const origin = req.get('origin');
  if (!origin) return true; // curl and scripts; the CSRF token still guards session posts
  if (origin === 'null') return false;
  try {
    const u = new URL(origin);
    if (publicUrl && u.origin === new URL(publicUrl).origin) return true;
    return u.host === req.get('host');
  } catch {
    return false;
  }
}
