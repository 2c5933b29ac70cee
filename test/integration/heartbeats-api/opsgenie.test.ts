import { expect } from 'chai';
import { call, Harness, KEY, startHarness } from './harness';

const genie = { authorization: `GenieKey ${KEY}` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Opsgenie Heartbeat API v2 stand-in (real HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  async function createBackup(extra: Record<string, unknown> = {}) {
    return call(`${h.url}/v2/heartbeats`, {
      method: 'POST',
      headers: genie,
      json: {
        name: 'nightly-backup',
        description: 'pg_dump on db-1',
        interval: 1,
        intervalUnit: 'days',
        enabled: true,
        ownerTeam: { name: 'ops_team' },
        alertMessage: 'nightly-backup is expired',
        alertTags: ['backup'],
        alertPriority: 'P3',
        ...extra,
      },
    });
  }

  it('ping: every method, every auth form, 202 PONG with requestId body and header', async () => {
    await createBackup();
    const forms: [string, RequestInit][] = [
      ['GET', { headers: genie }],
      ['POST', { headers: genie }],
      ['PUT', { headers: { authorization: `Basic ${Buffer.from(KEY).toString('base64')}` } }],
      ['PATCH', { headers: { authorization: `basic ${Buffer.from(KEY).toString('base64')}` } }],
    ];
    for (const [method, init] of forms) {
      const r = await call(`${h.url}/v2/heartbeats/nightly-backup/ping`, { method, ...init });
      expect(r.status, method).to.equal(202);
      expect(Object.keys(r.body).sort()).to.deep.equal(['requestId', 'result', 'took']);
      expect(r.body.result).to.equal('PONG - Heartbeat received');
      expect(r.body.requestId).to.match(UUID);
      expect(r.headers.get('x-request-id')).to.equal(r.body.requestId);
      expect(r.body.took).to.be.a('number');
    }
    const q = await call(`${h.url}/v2/heartbeats/nightly-backup/ping?apiKey=${encodeURIComponent(KEY)}`);
    expect(q.status).to.equal(202);
    const hist = await h.service.history('nightly-backup');
    expect(hist.filter((e) => e.event === 'ping')).to.have.length(5);
    expect((await h.service.get('nightly-backup'))!.state).to.equal('up');
  });

  it('ping: wrong or missing key → 401 JSON; unknown name → 202 PONG but recorded', async () => {
    for (const headers of [{}, { authorization: 'GenieKey nope' }, { authorization: KEY }] as Record<string, string>[]) {
      const r = await call(`${h.url}/v2/heartbeats/x/ping`, { headers });
      expect(r.status).to.equal(401);
      expect(r.body.message).to.equal('Could not authenticate');
      expect(r.body.requestId).to.match(UUID);
    }
    const r = await call(`${h.url}/v2/heartbeats/${encodeURIComponent('nightly bakup')}/ping`, { headers: genie });
    expect(r.status).to.equal(202);
    expect(h.service.unknownPings().map((u) => u.name)).to.deep.equal(['nightly bakup']);
  });

  it('create → 201 data; duplicate → 409; invalid → 422 with errors', async () => {
    const c = await createBackup();
    expect(c.status).to.equal(201);
    expect(c.body.data).to.include({
      name: 'nightly-backup',
      description: 'pg_dump on db-1',
      interval: 1,
      intervalUnit: 'days',
      enabled: true,
      expired: false,
      alertMessage: 'nightly-backup is expired',
      alertPriority: 'P3',
    });
    expect(c.body.data.ownerTeam).to.deep.equal({ name: 'ops_team' });
    expect(c.body.data).not.to.have.property('lastPingTime');
    expect((await createBackup()).status).to.equal(409);
    const bad = await call(`${h.url}/v2/heartbeats`, {
      method: 'POST',
      headers: genie,
      json: { name: 'x', interval: 0, intervalUnit: 'weeks' },
    });
    expect(bad.status).to.equal(422);
    expect(bad.body.errors).to.have.keys('interval', 'intervalUnit', 'enabled');
    const hb = (await h.service.get('nightly-backup'))!;
    expect([hb.kind, hb.periodS, hb.graceS]).to.deep.equal(['opsgenie', 86400, 60]);
  });

  it('get, list, patch, enable, disable, delete in Opsgenie shape', async () => {
    await createBackup();
    await call(`${h.url}/v2/heartbeats/nightly-backup/ping`, { headers: genie });
    const g = await call(`${h.url}/v2/heartbeats/nightly-backup`, { headers: genie });
    expect(g.status).to.equal(200);
    expect(g.body.data.lastPingTime).to.equal(new Date(h.clock.now()).toISOString());
    expect(g.body.data.lastPingTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const l = await call(`${h.url}/v2/heartbeats`, { headers: genie });
    expect(l.body.data.heartbeats.map((x: { name: string }) => x.name)).to.deep.equal(['nightly-backup']);
    const p = await call(`${h.url}/v2/heartbeats/nightly-backup`, {
      method: 'PATCH',
      headers: genie,
      json: { interval: 2, intervalUnit: 'hours', alertPriority: 'P1' },
    });
    expect(p.status).to.equal(200);
    expect(p.body.data).to.deep.equal({ name: 'nightly-backup', enabled: true, expired: false });
    expect((await h.service.get('nightly-backup'))!.periodS).to.equal(7200);
    const d = await call(`${h.url}/v2/heartbeats/nightly-backup/disable`, { method: 'POST', headers: genie });
    expect(d.body.data).to.deep.equal({ name: 'nightly-backup', enabled: false, expired: false });
    const e = await call(`${h.url}/v2/heartbeats/nightly-backup/enable`, { method: 'PUT', headers: genie });
    expect(e.body.data).to.deep.equal({ name: 'nightly-backup', enabled: true, expired: false });
    const again = await call(`${h.url}/v2/heartbeats/nightly-backup`, { headers: genie });
    expect(again.body.data).to.include({ interval: 2, intervalUnit: 'hours', alertPriority: 'P1' });
    const del = await call(`${h.url}/v2/heartbeats/nightly-backup`, { method: 'DELETE', headers: genie });
    expect(del.status).to.equal(200);
    expect(del.body.result).to.equal('Deleted');
    const gone = await call(`${h.url}/v2/heartbeats/nightly-backup`, { headers: genie });
    expect(gone.status).to.equal(404);
    expect(gone.body.message).to.contain('nightly-backup');
    for (const path of ['/enable', '/disable', ''])
      expect(
        (await call(`${h.url}/v2/heartbeats/nightly-backup${path}`, { method: path ? 'POST' : 'PATCH', headers: genie, json: {} })).status,
      ).to.equal(404);
  });

  it('expiry: expired=true once the interval passes, page after the default minute of grace, recovery on ping', async () => {
    await call(`${h.url}/v2/heartbeats`, {
      method: 'POST',
      headers: genie,
      json: { name: 'cron', interval: 10, intervalUnit: 'minutes', enabled: true, page: ['alice@example.com'] },
    });
    await call(`${h.url}/v2/heartbeats/cron/ping`, { headers: genie });
    await h.clock.advance(10 * 60_000);
    await h.service.idle();
    expect((await call(`${h.url}/v2/heartbeats/cron`, { headers: genie })).body.data.expired).to.equal(true);
    expect(h.pager.pages).to.have.length(0);
    await h.clock.advance(60_000);
    await h.service.idle();
    expect(h.pager.summary()).to.deep.equal(['down:cron']);
    expect(h.pager.pages[0].title).to.equal('cron is expired');
    expect(h.pager.pages[0].emails).to.deep.equal(['alice@example.com']);
    await call(`${h.url}/v2/heartbeats/cron/ping`, { method: 'POST', headers: genie });
    await h.service.idle();
    expect(h.pager.summary()).to.deep.equal(['down:cron', 'recovered:cron']);
  });

  it('reports intervals as configured: 20 s is 20 seconds (not "1 minute"), 90 min is 90 minutes, 2 h is 2 hours', async () => {
    for (const [name, periodS] of [
      ['fast', 20],
      ['ninety', 5400],
      ['two-hours', 7200],
    ] as const)
      await h.service.create({ name, kind: 'healthchecks', periodS, graceS: 0, page: [] });
    const of = async (name: string) => (await call(`${h.url}/v2/heartbeats/${name}`, { headers: genie })).body.data;
    expect(await of('fast')).to.include({ interval: 20, intervalUnit: 'seconds' });
    expect(await of('ninety')).to.include({ interval: 90, intervalUnit: 'minutes' });
    expect(await of('two-hours')).to.include({ interval: 2, intervalUnit: 'hours' });
    // Changing only the number keeps the reported unit.
    await call(`${h.url}/v2/heartbeats/fast`, { method: 'PATCH', headers: genie, json: { interval: 30 } });
    expect((await h.service.get('fast'))!.periodS).to.equal(30);
  });

  it('names with spaces work URL-encoded', async () => {
    const c = await call(`${h.url}/v2/heartbeats`, {
      method: 'POST',
      headers: genie,
      json: { name: 'db backup', interval: 1, intervalUnit: 'hours', enabled: true },
    });
    expect(c.status).to.equal(201);
    expect((await call(`${h.url}/v2/heartbeats/db%20backup/ping`, { headers: genie })).status).to.equal(202);
    expect((await h.service.get('db backup'))!.state).to.equal('up');
  });
});
