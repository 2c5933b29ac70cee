/**
 * Wrong cloud tokens and wrong heartbeat keys are limited per client address, each kind of secret
 * with its own count: after SECRET_FAILURES wrong ones in the window that address is answered 429
 * in its protocol's shape, before any secret is compared (the right one included), while other
 * addresses go on. A good request clears the count; a request that offers no secret is not counted.
 * Addresses come from X-Forwarded-For (DOZVON_TRUST_PROXY=loopback); time from a fake clock.
 */
import { expect } from 'chai';
import { RunningApp, CLOUD_TOKEN } from '../../helpers/app';
import { HB_KEY as KEY, startWithHeartbeats } from './harness';
import { FakeClock } from '../../fakes/clock';
import { SECRET_FAILURES, SECRET_FAILURE_WINDOW_MS } from '../../../src/http/secret-limits';

const WINDOW_S = SECRET_FAILURE_WINDOW_MS / 1000;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

describe('failure limits on the cloud token and the heartbeat keys', () => {
  let t: RunningApp;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock();
    t = await startWithHeartbeats({ env: { DOZVON_TRUST_PROXY: 'loopback' }, overrides: { clock } });
  });
  afterEach(() => t.close());

  async function call(from: string, path: string, init: { method?: string; auth?: string; json?: unknown } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'x-forwarded-for': from };
    if (init.auth !== undefined) headers.authorization = init.auth;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${t.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a plain-text answer (a ping's OK)
    }
    return { status: res.status, headers: res.headers, body };
  }

  const info = (from: string, auth?: string) => call(from, '/api/v1/info/', { auth });

  it("cloud token: 403 up to the limit, then 429 with Retry-After and the cloud's throttling detail, the right token included; others unaffected", async () => {
    for (let i = 0; i < SECRET_FAILURES; i++)
      expect((await info('203.0.113.1', `wrong-token-${i}`)).status, `wrong token ${i + 1}`).to.equal(403);
    const locked = await info('203.0.113.1', CLOUD_TOKEN);
    expect(locked.status).to.equal(429);
    expect(locked.headers.get('retry-after')).to.equal(String(WINDOW_S));
    expect(locked.body).to.deep.equal({ detail: `Request was throttled. Expected available in ${WINDOW_S} seconds.` });
    expect((await call('203.0.113.1', '/api/v1/make_call', { method: 'POST', auth: CLOUD_TOKEN })).status, 'every cloud route').to.equal(
      429,
    );
    expect((await info('203.0.113.2', CLOUD_TOKEN)).status, 'another address').to.equal(200);
    await clock.advance(SECRET_FAILURE_WINDOW_MS);
    expect((await info('203.0.113.1', CLOUD_TOKEN)).status, 'once the failures left the window').to.equal(200);
  });

  it('cloud token: a good request clears the count; requests without a token are not counted', async () => {
    for (let i = 0; i < SECRET_FAILURES - 1; i++) await info('203.0.113.3', 'wrong-token');
    expect((await info('203.0.113.3', CLOUD_TOKEN)).status).to.equal(200);
    for (let i = 0; i < SECRET_FAILURES; i++)
      expect((await info('203.0.113.3', 'wrong-token')).status, 'counted from zero again').to.equal(403);
    expect((await info('203.0.113.3', 'wrong-token')).status, 'and limited again').to.equal(429);
    for (let i = 0; i < 3 * SECRET_FAILURES; i++) expect((await info('203.0.113.4')).status).to.equal(403);
    for (let i = 0; i < SECRET_FAILURES; i++)
      expect((await info('203.0.113.4', 'wrong-token')).status, 'only offered tokens count').to.equal(403);
    expect((await info('203.0.113.4', CLOUD_TOKEN)).status).to.equal(429);
  });

  it('heartbeat keys: one count across the Opsgenie API, ping URLs (key in the path or not) and Alertmanager', async () => {
    const from = '198.51.100.7';
    const doors = [
      () => call(from, '/v2/heartbeats', { auth: 'GenieKey wrong-key-0000000000' }),
      () => call(from, '/ping/wrong-key-0000000000/backup'),
      () => call(from, '/ping/backup', { auth: 'Bearer wrong-key-0000000000' }),
      () => call(from, '/api/v1/alertmanager', { method: 'POST', auth: 'Bearer wrong-key-0000000000', json: {} }),
    ];
    for (let i = 0; i < SECRET_FAILURES; i++) expect((await doors[i % doors.length]()).status, `wrong key ${i + 1}`).to.equal(401);

    const genie = await call(from, '/v2/heartbeats', { auth: `GenieKey ${KEY}` });
    expect(genie.status).to.equal(429);
    expect(genie.headers.get('retry-after')).to.equal(String(WINDOW_S));
    expect(genie.headers.get('x-ratelimit-state')).to.equal('THROTTLED');
    expect(genie.headers.get('x-request-id')).to.equal(genie.body.requestId);
    expect(genie.body).to.have.all.keys('message', 'took', 'requestId');
    expect(genie.body.message).to.match(/too many/i);

    const ping = await call(from, `/ping/${KEY}/backup?create=1`);
    expect(ping.status).to.equal(429);
    expect(ping.headers.get('retry-after')).to.equal(String(WINDOW_S));
    expect(ping.body).to.include({ error: 'too-many-failures' });
    const am = await call(from, '/api/v1/alertmanager', { method: 'POST', auth: `Bearer ${KEY}`, json: {} });
    expect(am.status).to.equal(429);
    expect(am.body).to.include({ error: 'too-many-failures' });
    expect(await t.app.heartbeats.get('backup'), 'nothing created while locked out').to.equal(null);

    // The cloud token keeps its own count.
    expect((await info(from, CLOUD_TOKEN)).status).to.equal(200);
    expect((await call('198.51.100.8', `/ping/${KEY}/backup?create=1`)).status, 'another address').to.equal(201);
  });

  it('heartbeat keys: a good ping clears the count; an Opsgenie request without a key is not counted', async () => {
    const from = '198.51.100.9';
    for (let i = 0; i < SECRET_FAILURES - 1; i++) await call(from, '/ping/wrong-key-0000000000/backup');
    expect((await call(from, `/ping/${KEY}/backup?create=1`)).status).to.equal(201);
    for (let i = 0; i < 2 * SECRET_FAILURES; i++) expect((await call(from, '/v2/heartbeats')).status, 'no key offered').to.equal(401);
    for (let i = 0; i < SECRET_FAILURES; i++)
      expect((await call(from, '/ping/wrong-key-0000000000/backup')).status, 'counted from zero again').to.equal(401);
    expect((await call(from, '/v2/heartbeats', { auth: `GenieKey ${KEY}` })).status, 'and limited again').to.equal(429);
  });

  it("heartbeat links share the cloud token's count: wrong links are guesses, then the right link is throttled too", async () => {
    const made = await call('192.0.2.50', '/api/v1/integrations/', {
      method: 'POST',
      auth: CLOUD_TOKEN,
      json: { type: 'formatted_webhook', name: 'OnCall Cloud Heartbeat http://oncall-engine:8080' },
    });
    expect(made.status).to.be.oneOf([200, 201]);
    const link = new URL((made.body as { heartbeat: { link: string } }).heartbeat.link).pathname;
    const from = '192.0.2.51';
    expect((await call(from, link)).status, 'the right link').to.equal(200);
    const wrong = link.replace(/\/formatted_webhook\/[A-Za-z0-9]+\//, '/formatted_webhook/WrongLinkWrongLinkWrong12/');
    for (let i = 0; i < SECRET_FAILURES / 2; i++) expect((await call(from, wrong)).status, `wrong link ${i + 1}`).to.equal(403);
    for (let i = 0; i < SECRET_FAILURES / 2; i++)
      expect((await info(from, `wrong-token-${i}`)).status, `wrong token ${i + 1}`).to.equal(403);
    const locked = await call(from, link);
    expect(locked.status).to.equal(429);
    expect(locked.headers.get('retry-after')).to.equal(String(WINDOW_S));
    expect(locked.body).to.deep.equal({ detail: `Request was throttled. Expected available in ${WINDOW_S} seconds.` });
    expect((await info(from, CLOUD_TOKEN)).status, 'the token from that address as well').to.equal(429);
    expect((await call('192.0.2.52', link)).status, 'another address').to.equal(200);
  });
});
