import { expect } from 'chai';
import { CodeHasher, generateCode, isCodeShaped } from '../../../src/verify/code';
import { VerifyLinks } from '../../../src/verify/links';
import { verificationText } from '../../../src/verify/sms';
import { AckLinks } from '../../../src/links';
import { FakeClock } from '../../fakes/clock';

describe('verification codes', () => {
  it('are six digits, leading zeros kept, and vary', () => {
    const codes = Array.from({ length: 2000 }, generateCode);
    for (const c of codes) expect(c).to.match(/^[0-9]{6}$/);
    expect(new Set(codes).size).to.be.greaterThan(1900);
    // Every position takes every digit: no fixed or biased column.
    for (let i = 0; i < 6; i++) expect(new Set(codes.map((c) => c[i])).size).to.equal(10);
  });

  it('only six ASCII digits are code-shaped', () => {
    for (const ok of ['000000', '123456']) expect(isCodeShaped(ok)).to.equal(true);
    for (const bad of ['12345', '1234567', '12 456', '١٢٣٤٥٦', 123456, null, '12345a']) expect(isCodeShaped(bad)).to.equal(false);
  });

  it('hashes with the secret and the verification id; matches only the same code', () => {
    const h = new CodeHasher('secret-0123456789abcdef');
    const stored = h.hash('vid-aaaaaaaa', '042424');
    expect(stored)
      .to.match(/^[0-9a-f]{64}$/)
      .and.not.include('042424');
    expect(h.matches('vid-aaaaaaaa', '042424', stored)).to.equal(true);
    expect(h.matches('vid-aaaaaaaa', '042425', stored)).to.equal(false);
    expect(h.matches('vid-bbbbbbbb', '042424', stored)).to.equal(false);
    expect(new CodeHasher('another-secret-0123456789').matches('vid-aaaaaaaa', '042424', stored)).to.equal(false);
    expect(h.matches('vid-aaaaaaaa', '042424', 'not-hex')).to.equal(false);
    expect(() => new CodeHasher('short')).to.throw(/16 characters/);
  });
});

describe('verification links', () => {
  const clock = new FakeClock();
  const links = new VerifyLinks('secret-0123456789abcdef', 'https://pager.example.com/dozvon', clock);

  it('carry the verification id and expiry, under the public URL, and check out until they expire', async () => {
    const exp = clock.now() + 600_000;
    const url = links.url('AbC_def-12345678', exp);
    expect(url).to.match(/^https:\/\/pager\.example\.com\/dozvon\/verify\/AbC_def-12345678\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    const token = url.slice(url.lastIndexOf('/') + 1);
    expect(links.check(token)).to.deep.equal({ ok: true, verificationId: 'AbC_def-12345678', expiresAt: exp });
    await clock.advance(600_000);
    expect(links.check(token)).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('a changed id, expiry or MAC is invalid (not expired), as is another secret', () => {
    const token = links.token('AbC_def-12345678', clock.now() + 600_000);
    const [id, exp, mac] = token.split('.');
    expect(links.check(`${id}.${(parseInt(exp, 36) + 1000).toString(36)}.${mac}`).ok).to.equal(false);
    expect(links.check(`${id}.zzzzzz.${mac}`)).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(links.check(`AbC_def-12345679.${exp}.${mac}`)).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(links.check(`${id}.${exp}.${mac.slice(0, -1)}A`).ok).to.equal(false);
    expect(new VerifyLinks('other-secret-0123456789', 'http://x/', clock).check(token)).to.deep.equal({ ok: false, reason: 'invalid' });
    for (const junk of ['', 'a.b', 'a.b.c.d', undefined, 42]) expect(links.check(junk).ok).to.equal(false);
  });

  it('is not interchangeable with an ack link signed by the same secret', () => {
    const ack = new AckLinks({ secret: 'secret-0123456789abcdef', clock, publicUrl: 'http://x/' });
    expect(links.check(ack.token('AbC_def-12345678')).ok).to.equal(false);
  });
});

describe('verification SMS text', () => {
  it("says the code and the link, in the person's language", () => {
    expect(verificationText('012345', 'http://x/verify/t', 'en')).to.equal(
      'dozvon: your verification code is 012345. Or open http://x/verify/t',
    );
    expect(verificationText('012345', 'http://x/verify/t', 'ru')).to.equal(
      'dozvon: ваш код подтверждения 012345. Или откройте http://x/verify/t',
    );
  });
});
