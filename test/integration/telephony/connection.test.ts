import { expect } from 'chai';
import { telephonyOn } from '../../helpers/fake-telephony';
import WebSocket from 'ws';
import { createServer, AddressInfo } from 'node:net';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { AriTelephony } from '../../../src/telephony';
import { FakeAsterisk } from '../../fakes/asterisk';
import { answered, ended, Harness, makeHarness } from './harness';

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('fake Asterisk: connecting', () => {
  let asterisk: FakeAsterisk;
  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
  });
  afterEach(async () => asterisk.close());

  it('serves resources.json with basePath rewritten to its own host, and requires auth there too', async () => {
    const auth = 'Basic ' + Buffer.from('dozvon:secret').toString('base64');
    const res = await fetch(`${asterisk.url}/ari/api-docs/resources.json`, { headers: { Authorization: auth } });
    const doc = (await res.json()) as { basePath: string; swaggerVersion: string; apis: Array<{ path: string }> };
    expect(doc.swaggerVersion).to.equal('1.1');
    expect(doc.basePath).to.equal(`${asterisk.url}/ari`);
    expect(doc.apis.map((a) => a.path)).to.include('/api-docs/events.{format}');
    const anon = await fetch(`${asterisk.url}/ari/api-docs/resources.json`);
    expect(anon.status).to.equal(401);
    expect(anon.headers.get('www-authenticate')).to.match(/^Basic realm=/);
    expect(await anon.json()).to.deep.equal({ message: 'Authentication required' });
    const viaKey = await fetch(`${asterisk.url}/ari/asterisk/info?api_key=dozvon:secret`);
    expect(viaKey.status).to.equal(200);
    const bad = await fetch(`${asterisk.url}/ari/asterisk/info`, {
      headers: { Authorization: 'Basic ' + Buffer.from('dozvon:nope').toString('base64') },
    });
    expect(bad.status).to.equal(401);
  });

  it('refuses a WebSocket without app (400 HTML) and with a bad key (401)', async () => {
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    const ws = asterisk.url.replace('http', 'ws');
    expect(await status(`${ws}/ari/events?api_key=dozvon:secret`)).to.equal(400);
    expect(await status(`${ws}/ari/events?app=dozvon&api_key=dozvon:wrong`)).to.equal(401);
    expect(await status(`${ws}/ari/events?app=dozvon&api_key=dozvon:secret`)).to.equal(101);
  });

  it('AriTelephony with a wrong password never becomes healthy and reports why', async () => {
    const tel = new AriTelephony({
      urls: [asterisk.url],
      user: 'dozvon',
      password: 'wrong',
      app: 'dozvon',
      clock: new SystemClock(),
      log: silentLogger(),
      startWaitMs: 300,
      connectTimeoutMs: 1000,
      reconnectInitialMs: 5000,
    });
    await tel.start();
    const health = tel.health();
    expect(health.ok).to.equal(false);
    expect(health.servers[0].state).to.equal('connecting');
    expect(health.servers[0].error).to.match(/401 Authentication required: wrong ARI credentials/);
    await tel.stop();
  });

  it('AriTelephony with nothing listening reports "connection refused", not "fetch failed"', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    const tel = new AriTelephony({
      urls: [`http://127.0.0.1:${closed}`],
      user: 'dozvon',
      password: 'x',
      app: 'dozvon',
      clock: new SystemClock(),
      log: silentLogger(),
      startWaitMs: 300,
      connectTimeoutMs: 1000,
      reconnectInitialMs: 5000,
    });
    await tel.start();
    expect(tel.health().servers[0].error)
      .to.match(/connection refused: nothing listens/)
      .and.not.match(/fetch failed/);
    await tel.stop();
  });
});

describe('AriTelephony: reconnects and takeovers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  it('WebSocket drop → ari-client reconnects → a new call works', async () => {
    h.asterisk.dropWebSockets();
    await until(() => h.tel.health().servers[0].state === 'reconnecting');
    await until(() => h.tel.health().ok);
    h.asterisk.phone('1001').willAnswerAfter(100);
    const leg = await h.dial('1001');
    await answered(leg);
    await leg.hangup();
    expect((await ended(leg)).outcome).to.equal('answered');
  });

  it('Asterisk restart mid-call: the leg ends with lostConnection, new calls work', async () => {
    h.asterisk.phone('1001').willAnswerAfter(0);
    const leg = await h.dial('1001');
    await answered(leg);
    await h.asterisk.restart({ downMs: 150 });
    const end = await ended(leg, 5000);
    expect(end).to.include({ outcome: 'answered', lostConnection: true });
    await until(() => h.tel.health().ok, 5000);
    const again = await h.dial('1001');
    await answered(again);
    await again.hangup();
  });

  // ApplicationReplaced and the refused second instance: app-owner.test.ts.

  it('originate fails with a temporary error when no server is connected', async () => {
    await h.tel.stop();
    const err = await h.dial('1001').catch((e: unknown) => e);
    expect(err).to.have.property('temporary', true);
  });
});

describe('AriTelephony: several Asterisk servers', () => {
  it('spreads calls over connected servers and says which one carries a leg', async () => {
    const a = await FakeAsterisk.start({ timeScale: 0.01 });
    const b = await FakeAsterisk.start({ timeScale: 0.01 });
    const tel = new AriTelephony({
      urls: [a.url, b.url],
      user: 'dozvon',
      password: 'secret',
      app: 'dozvon',
      clock: new SystemClock(),
      log: silentLogger(),
      startWaitMs: 3000,
    });
    try {
      await tel.start();
      await until(() => tel.health().servers.every((s) => s.state === 'connected'));
      for (const f of [a, b]) f.phone('1001').willAnswerAfter(0);
      const l1 = await tel.originate({ endpoint: 'Local/1001@phones', callerId: 'x', timeoutSec: 30 });
      const l2 = await tel.originate({ endpoint: 'Local/1001@phones', callerId: 'x', timeoutSec: 30 });
      expect(new Set([l1.server, l2.server])).to.deep.equal(new Set([a.url, b.url]));
      await Promise.all([answered(l1), answered(l2)]);
      await Promise.all([l1.hangup(), l2.hangup()]);
    } finally {
      await tel.stop();
      await a.close();
      await b.close();
    }
  });
});

describe('AriTelephony stopping', () => {
  it('drops the event socket soon when Asterisk never answers the close frame (ws would hold the process for 30 s)', async function () {
    this.timeout(10_000);
    const asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
    try {
      const tel = telephonyOn(asterisk);
      await tel.start();
      expect(tel.health().ok).to.equal(true);
      const ends = asterisk.leaveCloseFramesUnanswered();
      expect(ends).to.have.length(1);
      await tel.stop();
      // Without the grace the socket stays open until ws's 30 s close timeout: this test's timeout reports it.
      await Promise.all(ends);
    } finally {
      await asterisk.close();
    }
  });
});
