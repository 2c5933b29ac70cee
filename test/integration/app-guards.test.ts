import { expect } from 'chai';
import { request } from 'node:http';
import { ADMIN_TOKEN, startApp, RunningApp } from '../helpers/app';
import { HotlineMessagesRepo, messageUrl } from '../../src/hotline';

describe("every route under the public URL's path prefix", () => {
  let t: RunningApp;
  const PUBLIC = 'http://dozvon.test:8080/oncall/';
  before(async () => {
    t = await startApp({ DOZVON_PUBLIC_URL: PUBLIC });
  });
  after(() => t.close());
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers, redirect: 'manual' });

  it('voicemail links as written into OnCall alerts are served', async () => {
    const repo = new HotlineMessagesRepo(t.app.db);
    const token = 'Vm0123456789abcdefghijklmnopqrst';
    await repo.insert({
      token,
      caller: '+15550000001',
      userId: null,
      recordedAt: Date.now(),
      durationMs: 1000,
      contentType: 'audio/wav',
      incidentId: null,
      alertUid: 'dozvon-hotline-x',
      audio: Buffer.from('RIFF....WAVE'),
    });
    const link = new URL(messageUrl(PUBLIC, token));
    expect(link.pathname).to.equal(`/oncall/hotline/messages/${token}.wav`);
    const r = await get(link.pathname);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.equal('audio/wav');
  });

  it('the status page, its login, /metrics, health and the admin API answer under the prefix as at the root', async () => {
    for (const base of ['/oncall', '']) {
      expect((await get(`${base}/`, { authorization: `Bearer ${ADMIN_TOKEN}` })).status, `${base}/`).to.equal(200);
      expect((await get(`${base}/login`)).status, `${base}/login`).to.equal(200);
      expect((await get(`${base}/metrics`)).status, `${base}/metrics`).to.equal(200);
      expect((await get(`${base}/healthz`)).status, `${base}/healthz`).to.equal(200);
      expect((await get(`${base}/api/admin/users`, { authorization: `Bearer ${ADMIN_TOKEN}` })).status, `${base}/api/admin`).to.equal(200);
      expect((await get(`${base}/ack/1.x.y`)).status, `${base}/ack`).to.equal(400);
    }
    expect((await get('/oncallx/metrics')).status).to.equal(404);
  });
});

describe('admin API: failures limited per client address', () => {
  let t: RunningApp;
  before(async () => {
    t = await startApp({ DOZVON_TRUST_PROXY: 'loopback' });
  });
  after(() => t.close());
  const users = (token: string, from: string) =>
    fetch(`${t.url}/api/admin/users`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': from } });

  it('ten wrong tokens from one address → 429 there, even with the right token; other addresses unaffected', async () => {
    for (let i = 0; i < 10; i++) expect((await users(`wrong-${i}`, '203.0.113.9')).status).to.equal(401);
    const refused = await users(ADMIN_TOKEN, '203.0.113.9');
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 15 * 60);
    expect(await refused.json()).to.include({ error: 'too-many-failures' });
    expect((await users(ADMIN_TOKEN, '198.51.100.7')).status).to.equal(200);
  });

  it('no body is read before the token: a gigabyte announced without a token is refused at once', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: t.port,
          method: 'POST',
          path: '/api/admin/users',
          headers: { 'content-type': 'application/json', 'content-length': '1000000000', 'x-forwarded-for': '192.0.2.44' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('[');
    });
    expect(status).to.equal(401);
  });

  it('with the token: deep or oversized JSON is 400/413', async () => {
    const post = (body: string) =>
      fetch(`${t.url}/api/admin/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.45' },
        body,
      });
    expect((await post('['.repeat(40) + ']'.repeat(40))).status).to.equal(400);
    expect((await post(JSON.stringify({ name: 'x'.repeat(70 * 1024) }))).status).to.equal(413);
  });
});
