import { expect } from 'chai';
import { silentLogger } from '../../../src/core/log';
import { PeerPinger } from '../../../src/watchers/peer';
import { FakeClock } from '../../fakes/clock';
import { Harness, KEY, startHarness } from '../heartbeats-api/harness';

describe('mutual watch: two dozvon instances ping each other (real HTTP)', () => {
  let a: Harness;
  let b: Harness;
  let aToB: PeerPinger;
  let bToA: PeerPinger;
  const clock = new FakeClock();

  beforeEach(async () => {
    a = await startHarness({ clock, defaultPage: ['admin-a@example.com'] });
    b = await startHarness({ clock, defaultPage: ['admin-b@example.com'] });
    await a.service.create({ name: 'peer-dozvon-b', kind: 'peer', periodS: 60, graceS: 60 });
    await b.service.create({ name: 'peer-dozvon-a', kind: 'peer', periodS: 60, graceS: 60 });
    aToB = new PeerPinger({ url: `${b.url}/ping/${KEY}/peer-dozvon-a`, clock, logger: silentLogger(), everyMs: 60_000 });
    bToA = new PeerPinger({ url: `${a.url}/ping/${KEY}/peer-dozvon-b`, clock, logger: silentLogger(), everyMs: 60_000 });
    aToB.start();
    bToA.start();
  });
  afterEach(async () => {
    await aToB.stop();
    await bToA.stop();
    await a.close();
    await b.close();
  });

  async function minute(): Promise<void> {
    await clock.advance(60_000);
    await Promise.all([aToB.idle(), bToA.idle()]);
    await Promise.all([a.service.idle(), b.service.idle()]);
  }

  it('both stay up while both ping; B pages when A stops, and says so when A is back', async () => {
    await clock.advance(0);
    await Promise.all([aToB.idle(), bToA.idle(), a.service.idle(), b.service.idle()]);
    for (let i = 0; i < 5; i++) await minute();
    expect((await a.service.get('peer-dozvon-b'))!.state).to.equal('up');
    expect((await b.service.get('peer-dozvon-a'))!.state).to.equal('up');
    expect(aToB.healthy()).to.equal(true);
    await aToB.stop(); // instance A dies
    for (let i = 0; i < 3; i++) await minute();
    expect(b.pager.summary()).to.deep.equal(['down:peer-dozvon-a']);
    expect(b.pager.pages[0].emails).to.deep.equal(['admin-b@example.com']);
    expect(a.pager.pages).to.have.length(0);
    aToB.start();
    await clock.advance(0);
    await aToB.idle();
    await b.service.idle();
    expect(b.pager.summary()).to.deep.equal(['down:peer-dozvon-a', 'recovered:peer-dozvon-a']);
  });

  it('reports an unreachable peer as unhealthy without throwing', async () => {
    const lost = new PeerPinger({ url: 'http://127.0.0.1:1/ping/x/y', clock, logger: silentLogger(), timeoutMs: 2000 });
    await lost.pingOnce();
    expect(lost.healthy()).to.equal(false);
  });
});
