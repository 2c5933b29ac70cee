import { expect } from 'chai';
import { SignedToken } from '../../../src/links/signed-token';
import { tokenPageHeaders } from '../../../src/links/headers';

describe('signed token primitive', () => {
  const ID = /^[A-Za-z0-9_-]{1,40}$/;
  const ack = new SignedToken('a-long-enough-secret', 'dozvon-ack:', ID);

  it('keeps the bytes of links already sent (a golden ack token)', () => {
    // Made by AckLinks before the primitive was shared; if this changes, every link in the field breaks.
    expect(ack.sign('1', 1_700_086_524_000)).to.equal('1.s46r5o.3y6eYHAK3H9n7OONPYZgMQ');
  });

  it('separates domains: the same secret and id under another prefix do not verify', () => {
    const other = new SignedToken('a-long-enough-secret', 'dozvon-verify:', ID);
    const t = ack.sign('abc', 2_000_000_000_000)!;
    expect(ack.check(t, 0)).to.deep.equal({ ok: true, id: 'abc', expiresAt: 2_000_000_000_000 });
    expect(other.check(t, 0)).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('checks the signature before expiry, and refuses ids outside the pattern', () => {
    const t = ack.sign('abc', 1000)!;
    expect(ack.check(t, 1000)).to.deep.equal({ ok: false, reason: 'expired' });
    const [id, , mac] = ack.sign('abc', 2_000_000_000_000)!.split('.');
    expect(ack.check(`${id}.1.${mac}`, 5000)).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(ack.sign('no spaces', 1000)).to.equal(null);
  });
});

describe('token page headers', () => {
  it('sets no-store, no-referrer, noindex, nosniff and a locked-down CSP, then continues', () => {
    const set: Record<string, string> = {};
    let nexted = false;
    const res = { set: (h: Record<string, string>) => Object.assign(set, h) };
    tokenPageHeaders({} as never, res as never, () => (nexted = true));
    expect(set).to.deep.equal({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    });
    expect(nexted).to.equal(true);
  });
});
