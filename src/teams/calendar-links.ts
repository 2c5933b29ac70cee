/**
 * The unguessable address of a rotation's calendar feed: the rotation id signed with a secret of
 * its own (kept in the database), so a calendar app can subscribe without a password and nobody
 * can guess the feed of another rotation. The expiry is fixed far ahead because subscriptions are
 * meant to last; rotating the secret is how every feed address is withdrawn at once.
 */
import { SignedToken } from '../links/signed-token';

const FEED_EXPIRY = Date.parse('2100-01-01T00:00:00Z');
const ROTATION_ID = /^R[A-Z0-9]{12}$/;

export class CalendarLinks {
  private readonly signer: SignedToken;

  constructor(secret: string) {
    this.signer = new SignedToken(secret, 'dozvon-calendar:', ROTATION_ID);
  }

  token(rotationId: string): string {
    const t = this.signer.sign(rotationId, FEED_EXPIRY);
    if (!t) throw new Error(`not a rotation id: ${rotationId}`);
    return t;
  }

  /** The rotation id, or null when the token is not one of ours. */
  rotationOf(token: string, now: number): string | null {
    const c = this.signer.check(token, now);
    return c.ok ? c.id : null;
  }
}
