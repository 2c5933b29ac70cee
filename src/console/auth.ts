/**
 * Who may use the console: a browser with the status page's session cookie (signed, revocable at
 * logout) or a script with `Authorization: Bearer <DOZVON_ADMIN_TOKEN>`, checked by the guard every
 * door of the admin token shares. Forms are CSRF-safe: the cookie is SameSite=Strict, every POST
 * must come from our origin, and (for sessions) carry a token derived from the session's nonce.
 */
import type { Request } from '../http/express';
import { clientKey } from '../http/limiter';
import { SessionSigner, SESSION_COOKIE, readCookie } from '../web/session';
import type { SessionRevocations } from '../web/revocations';
import { CsrfTokens } from '../web/csrf';
import type { AdminTokenGuard } from '../web/admin-token';

export type ConsoleUser = { kind: 'session'; nonce: string; actor: string } | { kind: 'bearer'; actor: string };
/** A Bearer caller from an address that guessed too often: refused until its failures age out. */
export type Locked = { kind: 'locked'; retryAfterSeconds: number };

export class ConsoleAuth {
  private readonly signer: SessionSigner | null;
  private readonly csrf: CsrfTokens | null;

  constructor(
    private readonly guard: AdminTokenGuard,
    private readonly revocations: SessionRevocations,
    private readonly now: () => number,
    sessionTtlMs = 12 * 3600_000,
  ) {
    this.signer = guard.token === null ? null : new SessionSigner(guard.token, sessionTtlMs);
    this.csrf = guard.token === null ? null : new CsrfTokens(guard.token);
  }

  get enabled(): boolean {
    return this.guard.enabled;
  }

  async who(req: Request): Promise<ConsoleUser | Locked | null> {
    if (this.signer === null) return null;
    const bearer = this.guard.bearer(req);
    if (bearer !== null) {
      if (bearer.kind === 'locked') return bearer;
      return bearer.kind === 'ok' ? { kind: 'bearer', actor: `admin token (${clientKey(req)})` } : null;
    }
    const session = this.signer.read(readCookie(req.get('cookie'), SESSION_COOKIE), this.now());
    if (session === null || (await this.revocations.isRevoked(session.nonce))) return null;
    return { kind: 'session', nonce: session.nonce, actor: `console (session ${session.nonce.slice(0, 6)}, ${clientKey(req)})` };
  }

  /** The hidden form field for this session ("" for bearer callers, who need none). */
  csrfToken(user: ConsoleUser): string {
    if (user.kind !== 'session' || this.csrf === null) return '';
    return this.csrf.tokenFor(user.nonce);
  }

  checkCsrf(user: ConsoleUser, given: unknown): boolean {
    if (user.kind === 'bearer') return true; // no ambient credential: a bearer header cannot be forged cross-site
    return this.csrf !== null && this.csrf.matches(user.nonce, given);
  }
}
