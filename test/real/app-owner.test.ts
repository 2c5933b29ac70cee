/**
 * On a real Asterisk 22: the Stasis app has one owner. A second dozvon with
 * the same DOZVON_ARI_APP is refused at start; a client that takes the app over is left alone
 * (no stealing back and forth), reported, and dozvon heals by itself once the app is free.
 */
import { expect } from 'chai';
import WebSocket from 'ws';
import { SystemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { AriTelephony } from '../../src/telephony';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld } from './world';

describe('real Asterisk: one owner per Stasis app', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;

  beforeEach(async () => {
    w = await realWorld(asterisk(), { env: { DOZVON_TTS: 'none' } });
  });
  afterEach(async () => w.close());

  const appHeld = async () => (await fetch(`${asterisk().ariUrl}/ari/applications/dozvon`, { headers: asterisk().auth() })).status;

  it('a second dozvon with the same app name is refused before it opens a socket; the first keeps the app', async () => {
    expect(await appHeld()).to.equal(200);
    const a = asterisk();
    const second = new AriTelephony({
      urls: [a.ariUrl],
      user: a.layout.ariUser,
      password: a.layout.ariPassword,
      app: 'dozvon',
      clock: new SystemClock(),
      log: silentLogger(),
      startWaitMs: 5000,
    });
    const err = await second.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.include({ code: 'ari-app-taken' });
    expect((err as Error).message).to.match(/Stasis app "dozvon" is already subscribed on 127\.0\.0\.1:\d+ by another client/);
    await second.stop();
    expect(w.app.telephony.health().ok).to.equal(true);
    expect(w.logs.join('')).to.not.match(/ApplicationReplaced/);
  });

  it('taken over by another client: reported in /readyz, never taken back, healed once the client goes away', async () => {
    const a = asterisk();
    const heard: string[] = [];
    const intruder = new WebSocket(
      `${a.ariUrl.replace('http', 'ws')}/ari/events?app=dozvon&api_key=${a.layout.ariUser}:${a.layout.ariPassword}`,
    );
    intruder.on('message', (m) => heard.push(JSON.parse(String(m)).type));
    await new Promise((resolve, reject) => intruder.once('open', resolve).once('error', reject));
    try {
      await w.until(() => w.app.telephony.health().servers[0].state === 'replaced', 'ApplicationReplaced to reach dozvon', 10_000);
      const ready = (await (await fetch(`${w.url}/readyz`)).json()) as { checks: Record<string, string> };
      expect(ready.checks.telephony).to.match(/another client took Stasis app "dozvon"/);
      // A few rounds of asking later the intruder still holds the app: dozvon did not take it back.
      await new Promise((r) => setTimeout(r, 4000));
      expect(heard).to.not.include('ApplicationReplaced');
      expect(w.app.telephony.health().servers[0].state).to.equal('replaced');
    } finally {
      intruder.close();
    }
    await w.until(() => w.app.telephony.health().ok, 'dozvon to take the free app', 40_000);
    expect(await appHeld()).to.equal(200);
  });
});
