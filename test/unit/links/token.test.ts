import { expect } from 'chai';
import { AckLinks } from '../../../src/links/token';
import { FakeClock } from '../../fakes/clock';

describe('ack link tokens', () => {
  const clock = new FakeClock();
  const links = new AckLinks({ secret: 'a-long-enough-secret', clock, publicUrl: 'https://dozvon.example' });

  it('makes short links that verify to the notification id', () => {
    const url = links.url(12345);
    expect(url).to.match(/^https:\/\/dozvon\.example\/ack\/12345\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(url.length).to.be.below(70);
    const v = links.verify(url.split('/ack/')[1]);
    expect(v).to.deep.include({ ok: true });
    expect(v.ok && v.claims.notificationId).to.equal('12345');
  });

  it('expires after 24 hours by default', async () => {
    const t = links.token(7);
    await clock.advance(24 * 3600_000 - 1000);
    expect(links.verify(t).ok).to.equal(true);
    await clock.advance(1000);
    expect(links.verify(t)).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('refuses a changed id, expiry or signature, and another secret', () => {
    const t = links.token(7);
    const [id, exp, mac] = t.split('.');
    expect(links.verify(`8.${exp}.${mac}`)).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(links.verify(`${id}.${(parseInt(exp, 36) + 86400).toString(36)}.${mac}`)).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(links.verify(`${id}.${exp}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`).ok).to.equal(false);
    expect(links.verify(`${id}.${exp}.${mac.slice(0, 10)}`).ok).to.equal(false);
    expect(links.verify('garbage').ok).to.equal(false);
    const other = new AckLinks({ secret: 'another-long-secret!', clock, publicUrl: 'https://dozvon.example/' });
    expect(other.verify(t).ok).to.equal(false);
  });

  it('refuses a short secret', () => {
    expect(() => new AckLinks({ secret: 'short', clock, publicUrl: 'http://x/' })).to.throw(/DOZVON_LINK_SECRET/);
  });
});
