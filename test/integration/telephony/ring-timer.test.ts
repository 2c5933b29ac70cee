import { expect } from 'chai';
import { FakeClock } from '../../fakes/clock';
import { FakeAsterisk } from '../../fakes/asterisk';
import { ended, makeHarness } from './harness';

describe('AriTelephony: own ring timer (an originate timeout sends no final Dial)', () => {
  it('cancels a call Asterisk never times out, once timeout + grace pass on our clock', async () => {
    const asterisk = await FakeAsterisk.start({ timeScale: 1 }); // Asterisk would ring for 30 real seconds
    const clock = new FakeClock();
    const h = await makeHarness({ asterisk, tel: { clock, ringGraceMs: 5000 } });
    try {
      const phone = asterisk.phone('1003');
      const leg = await h.dial('1003', { timeoutSec: 30 });
      await phone.expectCall();
      await clock.advance(30_000);
      expect(leg.ended()).to.equal(null);
      expect(asterisk.requests.some((r) => r.method === 'DELETE')).to.equal(false);
      await clock.advance(5_000);
      const del = await asterisk.waitForRequest('DELETE', /\/ari\/channels\//);
      expect(del.query).to.deep.equal({ reason: 'no_answer' });
      expect(await ended(leg)).to.include({ outcome: 'no-answer', cause: 19 });
      expect(clock.pending()).to.equal(0);
    } finally {
      await h.close();
    }
  });
});
