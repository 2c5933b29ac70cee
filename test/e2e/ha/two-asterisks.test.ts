/**
 * Two Asterisk servers behind one dozvon (DOZVON_ARI_URL with two URLs): when the server
 * carrying a call loses its ARI connection mid-call and stays down, the attempt is recorded
 * as interrupted and the page is rung again on the other server and delivered, within
 * seconds (not after the page's lease).
 */
import { expect } from 'chai';
import { startApp, RunningApp } from '../../helpers/app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';
import { FakeAsterisk } from '../../fakes/asterisk';
import { FakeClock } from '../../fakes/clock';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { AriTelephony } from '../../../src/telephony';
import { until } from './cluster';

describe('HA: two Asterisk servers', function () {
  this.timeout(30_000);
  let a: FakeAsterisk;
  let b: FakeAsterisk;
  let t: RunningApp;
  let tel: AriTelephony;

  beforeEach(async () => {
    a = await FakeAsterisk.start({ timeScale: 0.01 });
    b = await FakeAsterisk.start({ timeScale: 0.01, user: a.user, password: a.password });
    tel = new AriTelephony({
      urls: [a.url, b.url],
      user: a.user,
      password: a.password,
      app: 'dozvon',
      clock: new SystemClock(),
      log: silentLogger(),
      requestTimeoutMs: 2000,
      connectTimeoutMs: 2000,
      startWaitMs: 3000,
      reconnectInitialMs: 5000,
      ringGraceMs: 200,
      lostAfterMs: 500,
    });
    t = await startApp(
      { DOZVON_DIAL_TEMPLATE: 'PJSIP/{number}@trunk' },
      { clock: new FakeClock(Date.now()), telephony: tel, startEngines: true, sweepMs: 1000 },
    );
    await t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    await until(async () => tel.health().servers.every((s) => s.state === 'connected'), 'both ARI connections', 5000);
  });
  afterEach(async () => {
    await t.close();
    await a.close();
    await b.close();
  });

  it('a call cut off by an Asterisk that stays down is recorded as interrupted and delivered through the other one', async () => {
    // Both servers reach the phone; whichever carries the first call answers it by hand.
    const pa = a.phone('+15550001111');
    const pb = b.phone('+15550001111');
    const body = 'email=alice%40example.com&message=disk+full';
    const r = await rawRequest(t.port, pyRequest('POST', '/api/v1/make_call', { token: 'cloud-token-1-0123456789', body }));
    expect(r.status).to.equal(200);
    const [first, call] = await Promise.any([
      pa.expectCall(5000).then((c) => [a, c] as const),
      pb.expectCall(5000).then((c) => [b, c] as const),
    ]);
    call.answer();
    await call.expectPlayback(/dozvon\/greeting/);
    // From now on the phone presses 1 whichever server rings it; the carrier restarts.
    for (const f of [a, b]) f.phone('+15550001111').willAnswerAfter(0).willPress('1', { afterPlaybackStartMs: 10 });
    void first.restart({ downMs: 60_000 }); // stays down for the whole test
    const other = first === a ? b : a;
    await until(
      async () => {
        const n = (await t.app.db('notifications').first()) as { state: string } | undefined;
        return n && n.state === 'delivered' ? n : null;
      },
      'delivery after the cut',
      10_000,
    );
    expect(other.requests.filter((q) => q.method === 'POST' && q.path === '/ari/channels').length).to.be.at.least(1);
    const attempts = (await t.app.db('attempts').orderBy('id')) as { outcome: string; digits: string | null; cause: string | null }[];
    expect(attempts[0].outcome).to.equal('interrupted');
    expect(attempts[0].cause).to.match(/connection lost/);
    expect(attempts[attempts.length - 1].digits).to.equal('1');
    // Each retry is on record: nothing was lost between the two servers.
    expect(attempts.slice(1, -1).every((x) => x.outcome !== null)).to.equal(true);
  });
});
