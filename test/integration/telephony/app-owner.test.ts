/**
 * Who owns the Stasis app, and healing. Real ari-client against the fake
 * Asterisk, which (like Asterisk 22) lets a second WebSocket for an app take it over and tells
 * the first one ApplicationReplaced, and finds an app under GET /applications/<app> only while
 * some WebSocket is subscribed to it.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { SystemClock } from '../../../src/core/clock';
import { createLogger, silentLogger } from '../../../src/core/log';
import { AppError } from '../../../src/core/errors';
import { AriTelephony } from '../../../src/telephony';
import { FakeAsterisk } from '../../fakes/asterisk';
import { answered, Harness, makeHarness } from './harness';

async function until(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Another program subscribing to our app with a bare WebSocket (an older dozvon, a wscat): it takes the app over. */
function takeOver(asterisk: FakeAsterisk, app = 'dozvon'): Promise<WebSocket> {
  const ws = new WebSocket(`${asterisk.url.replace('http', 'ws')}/ari/events?app=${app}&api_key=${asterisk.user}:${asterisk.password}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const replacedEvents = (a: FakeAsterisk) => a.events.filter((e) => e.event.type === 'ApplicationReplaced').length;
const appQueries = (a: FakeAsterisk) => a.requests.filter((r) => r.method === 'GET' && r.path === '/ari/applications/dozvon').length;

describe('AriTelephony: one owner per Stasis app', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness({ tel: { reconnectInitialMs: 20, reconnectMaxMs: 80 } });
  });
  afterEach(async () => h.close());

  it('a second instance with the same app name is refused at start, without touching the first one', async () => {
    expect(h.tel.health().ok).to.equal(true);
    const second = new AriTelephony({
      urls: [h.asterisk.url],
      user: h.asterisk.user,
      password: h.asterisk.password,
      app: 'dozvon',
      clock: new SystemClock(),
      log: silentLogger(),
      startWaitMs: 3000,
    });
    const before = h.asterisk.requests.length;
    const err = await second.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AppError);
    expect(err).to.include({ code: 'ari-app-taken', temporary: false });
    expect((err as Error).message).to.match(/Stasis app "dozvon" is already subscribed on 127\.0\.0\.1:\d+ by another client/);
    expect((err as Error).message).to.match(/own DOZVON_ARI_APP/);
    // It asked (GET /applications/dozvon) and stopped there: no API load, no WebSocket, no takeover.
    expect(h.asterisk.requests.slice(before).map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /ari/applications/dozvon']);
    expect(replacedEvents(h.asterisk)).to.equal(0);
    expect(h.tel.health().ok).to.equal(true);
    expect(second.health().servers[0].state).to.equal('stopped');
    await second.stop();
  });

  it('ApplicationReplaced: not ready while another client holds the app, never steals it back, heals once it lets go', async () => {
    const intruder = await takeOver(h.asterisk);
    await until(() => h.tel.health().servers[0].state === 'replaced', 3000, 'replaced');
    const health = h.tel.health();
    expect(health.ok).to.equal(false);
    expect(health.message).to.match(/another client took Stasis app "dozvon"/);
    expect(health.message).to.match(/asking Asterisk again/);
    // It keeps asking, and while the app is held it never opens a socket of its own.
    const asked = appQueries(h.asterisk);
    await until(() => appQueries(h.asterisk) >= asked + 3, 3000, 'polling GET /applications/dozvon');
    expect(replacedEvents(h.asterisk)).to.equal(1);
    expect(h.tel.health().servers[0].state).to.equal('replaced');
    const err = await h.dial('1001').catch((e: unknown) => e);
    expect(err).to.include({ code: 'telephony-unavailable', temporary: true });

    intruder.close();
    await until(() => h.tel.health().ok, 3000, 'reconnect after the app was let go');
    expect(replacedEvents(h.asterisk)).to.equal(1);
    h.asterisk.phone('1001').willAnswerAfter(0);
    const leg = await h.dial('1001');
    await answered(leg);
    await leg.hangup();
  });

  it('a dropped socket reconnects without asking who holds the app (our own dead socket may still hold it)', async () => {
    const asked = appQueries(h.asterisk);
    h.asterisk.dropWebSockets();
    await until(() => h.tel.health().servers[0].state === 'reconnecting');
    await until(() => h.tel.health().ok);
    expect(appQueries(h.asterisk)).to.equal(asked);
  });
});

describe('AriTelephony: one owner per Stasis app, several Asterisks', () => {
  it('the app held on any one of them refuses the start, and nothing stays open on the others', async () => {
    const a = await FakeAsterisk.start({ timeScale: 0.01 });
    const b = await FakeAsterisk.start({ timeScale: 0.01 });
    const intruder = await takeOver(b);
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
      const err = await tel.start().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.include({ code: 'ari-app-taken' });
      expect((err as Error).message).to.include(`on ${new URL(b.url).host} by another client`);
      expect(tel.health().servers.map((s) => s.state)).to.deep.equal(['stopped', 'stopped']);
      await a.waitFor(() => a.appNames().length === 0, 2000, 'the socket opened on the first Asterisk to close');
    } finally {
      intruder.close();
      await tel.stop();
      await a.close();
      await b.close();
    }
  });
});

describe('AriTelephony: telling what happened, once', () => {
  it('logs each connection state once, however many retries an outage takes', async () => {
    const lines: { msg: string; state?: string; error?: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
    const h = await makeHarness({ asterisk, tel: { log: createLogger({ level: 'info', destination: sink }) } });
    try {
      await asterisk.restart({ downMs: 700 }); // ari-client retries at 100, 200, 400 ms… while the port refuses
      await until(() => h.tel.health().ok, 5000, 'reconnect');
      const intruder = await takeOver(asterisk);
      await until(() => h.tel.health().servers[0].state === 'replaced');
      const asked = appQueries(asterisk);
      await until(() => appQueries(asterisk) >= asked + 3, 3000, 'several rounds of asking');
      intruder.close();
      await until(() => h.tel.health().ok, 5000, 'heal');
      const states = lines.filter((l) => l.msg === 'ARI connection state').map((l) => l.state);
      expect(states).to.deep.equal(['connected', 'reconnecting', 'connected', 'replaced', 'connected']);
    } finally {
      await h.close();
    }
  });
});
