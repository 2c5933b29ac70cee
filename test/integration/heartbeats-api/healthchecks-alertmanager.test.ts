import { expect } from 'chai';
import { call, Harness, KEY, startHarness } from './harness';

/** What Alertmanager 0.27 POSTs for kube-prometheus's Watchdog route (webhook payload version 4). */
function watchdogPayload(status: 'firing' | 'resolved' = 'firing', alertname = 'Watchdog') {
  return {
    receiver: 'Watchdog',
    status,
    alerts: [
      {
        status,
        labels: { alertname, prometheus: 'monitoring/k8s', severity: 'none' },
        annotations: {
          description: 'This is an alert meant to ensure that the entire alerting pipeline is functional.',
          summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
        },
        startsAt: '2026-11-20T09:12:41.383Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus-k8s-0:9090/graph?g0.expr=vector%281%29&g0.tab=1',
        fingerprint: 'e2a4ac9ef3a4f8c1',
      },
    ],
    groupLabels: {},
    commonLabels: { alertname, prometheus: 'monitoring/k8s', severity: 'none' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager-main-0:9093',
    version: '4',
    groupKey: '{}/{alertname="Watchdog"}:{}',
    truncatedAlerts: 0,
  };
}

describe('healthchecks-style pings (real HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.service.create({ name: 'backup', kind: 'healthchecks', periodS: 3600, graceS: 600 });
  });
  afterEach(() => h.close());

  it('/ping/<key>/<name> answers 200 OK and marks the heartbeat up', async () => {
    const r = await call(`${h.url}/ping/${KEY}/backup`);
    expect([r.status, r.text]).to.deep.equal([200, 'OK']);
    expect((await h.service.get('backup'))!.state).to.equal('up');
    const p = await call(`${h.url}/ping/${KEY}/backup`, { method: 'POST', body: 'done' });
    expect(p.status).to.equal(200);
  });

  it('/ping/<name> needs the key in a header or ?apiKey=', async () => {
    const anon = await call(`${h.url}/ping/backup`);
    expect(anon.status).to.equal(401);
    expect(anon.body.error).to.equal('unauthorized');
    expect((await call(`${h.url}/ping/backup`, { headers: { authorization: `Bearer ${KEY}` } })).status).to.equal(200);
    expect((await call(`${h.url}/ping/backup?apiKey=second-key`)).status).to.equal(200);
    expect((await call(`${h.url}/ping/wrong-key/backup`)).status).to.equal(401);
  });

  it('/fail goes down at once and pages; the next ping recovers', async () => {
    await call(`${h.url}/ping/${KEY}/backup`);
    const f = await call(`${h.url}/ping/${KEY}/backup/fail`);
    expect([f.status, f.text]).to.deep.equal([200, 'OK']);
    await h.service.idle();
    expect((await h.service.get('backup'))!.state).to.equal('down');
    expect(h.pager.summary()).to.deep.equal(['down:backup']);
    await call(`${h.url}/ping/${KEY}/backup/0`); // exit status 0 = success
    await h.service.idle();
    expect(h.pager.summary()).to.deep.equal(['down:backup', 'recovered:backup']);
    await call(`${h.url}/ping/${KEY}/backup/2`); // non-zero exit = failure
    await h.service.idle();
    expect(h.pager.pages[2].text).to.contain('exit status 2');
  });

  it('/start and /log are recorded without a state change; bad suffix → 404 JSON', async () => {
    expect((await call(`${h.url}/ping/${KEY}/backup/start`)).status).to.equal(200);
    expect((await call(`${h.url}/ping/${KEY}/backup/log?msg=disk%2090%25`)).status).to.equal(200);
    const hist = await h.service.history('backup');
    expect(hist.map((e) => e.event)).to.deep.equal(['log', 'start']);
    expect(hist[0].detail).to.equal('disk 90%');
    expect((await h.service.get('backup'))!.state).to.equal('new');
    const bad = await call(`${h.url}/ping/${KEY}/backup/reboot`);
    expect(bad.status).to.equal(404);
    expect(bad.body.error).to.equal('not-found');
  });

  it('unknown name → 404 JSON; ?create=1 → 201 with healthchecks defaults, then 200', async () => {
    const u = await call(`${h.url}/ping/${KEY}/new-job`);
    expect(u.status).to.equal(404);
    expect(u.body.detail).to.contain('new-job');
    const c = await call(`${h.url}/ping/${KEY}/new-job?create=1`);
    expect([c.status, c.text]).to.deep.equal([201, 'OK']);
    const hb = (await h.service.get('new-job'))!;
    expect([hb.kind, hb.periodS, hb.graceS, hb.state]).to.deep.equal(['healthchecks', 86400, 3600, 'up']);
    expect((await call(`${h.url}/ping/${KEY}/new-job?create=1`)).status).to.equal(200);
  });
});

describe('Alertmanager webhook receiver (real HTTP)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('a firing Watchdog auto-creates alertmanager-<receiver> and keeps it up; silence pages', async () => {
    h = await startHarness();
    const r = await call(`${h.url}/api/v1/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      json: watchdogPayload(),
    });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ status: 'ok', heartbeat: 'alertmanager-watchdog', pinged: true, created: true, known: true });
    const hb = (await h.service.get('alertmanager-watchdog'))!;
    expect([hb.kind, hb.periodS, hb.graceS, hb.state]).to.deep.equal(['alertmanager', 300, 300, 'up']);
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(4 * 60_000);
      await call(`${h.url}/api/v1/alertmanager`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`alertmanager:${KEY}`).toString('base64')}` },
        json: watchdogPayload(),
      });
    }
    await h.service.idle();
    expect(h.pager.pages).to.have.length(0);
    await h.clock.advance(5 * 60_000);
    await h.service.idle();
    expect((await h.service.get('alertmanager-watchdog'))!.state).to.equal('late');
    await h.clock.advance(5 * 60_000);
    await h.service.idle();
    expect(h.pager.summary()).to.deep.equal(['down:alertmanager-watchdog']);
    expect(h.pager.pages[0].emails).to.deep.equal(['ops@example.com']);
    await call(`${h.url}/api/v1/alertmanager?apiKey=${KEY}`, { method: 'POST', json: watchdogPayload() });
    await h.service.idle();
    expect(h.pager.summary()).to.deep.equal(['down:alertmanager-watchdog', 'recovered:alertmanager-watchdog']);
  });

  it('resolved Watchdog and other alerts are not pings; ?heartbeat= names it; no auto-create without it', async () => {
    h = await startHarness({ autoCreate: false });
    const resolved = await call(`${h.url}/api/v1/alertmanager?apiKey=${KEY}`, { method: 'POST', json: watchdogPayload('resolved') });
    expect(resolved.body.pinged).to.equal(false);
    const other = await call(`${h.url}/api/v1/alertmanager?apiKey=${KEY}`, {
      method: 'POST',
      json: watchdogPayload('firing', 'KubePodCrashLooping'),
    });
    expect(other.body.pinged).to.equal(false);
    const unknown = await call(`${h.url}/api/v1/alertmanager?apiKey=${KEY}&heartbeat=prod-am`, { method: 'POST', json: watchdogPayload() });
    expect(unknown.body).to.include({ heartbeat: 'prod-am', pinged: false, known: false });
    expect(h.service.unknownPings().map((u) => u.name)).to.deep.equal(['prod-am']);
    await h.service.create({ name: 'prod-am', kind: 'alertmanager', periodS: 60, graceS: 60 });
    const known = await call(`${h.url}/api/v1/alertmanager?apiKey=${KEY}&heartbeat=prod-am`, { method: 'POST', json: watchdogPayload() });
    expect(known.body).to.include({ pinged: true });
    expect((await h.service.get('prod-am'))!.state).to.equal('up');
  });

  it('401 without a key, 400 JSON for a body that is not an Alertmanager payload', async () => {
    h = await startHarness();
    const anon = await call(`${h.url}/api/v1/alertmanager`, { method: 'POST', json: watchdogPayload() });
    expect(anon.status).to.equal(401);
    const bad = await call(`${h.url}/api/v1/alertmanager?apiKey=${KEY}`, { method: 'POST', json: { hello: 'world' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.detail).to.match(/receiver/);
  });
});
