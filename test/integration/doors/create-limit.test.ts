/**
 * Every heartbeat pages when it expires, so what a heartbeat key may create is capped by
 * heartbeats.api_create_limit: past it, `?create=1`, POST /v2/heartbeats and an Alertmanager
 * Watchdog under a new name are refused with a 4xx that says why, and nothing is created.
 * Pinging, updating and deleting existing heartbeats go on.
 */
import { expect } from 'chai';
import type { RunningApp } from '../../helpers/app';
import { HB_KEY, startWithHeartbeats } from './harness';

const GENIE = { authorization: `GenieKey ${HB_KEY}`, 'content-type': 'application/json' };
const opsgenieBody = (name: string) => JSON.stringify({ name, interval: 1, intervalUnit: 'hours', enabled: true });
const watchdog = JSON.stringify({ receiver: 'prod', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Watchdog' } }] });

describe('heartbeats.api_create_limit: a cap on heartbeats a key creates', () => {
  let t: RunningApp;
  beforeEach(async () => {
    t = await startWithHeartbeats({ section: '  api_create_limit: 3\n' });
  });
  afterEach(() => t.close());

  const names = async () => (await t.app.heartbeats.list()).map((h) => h.name).sort();

  it('creates up to the limit through any door, then refuses new names with a 4xx naming the setting', async () => {
    expect((await fetch(`${t.url}/ping/${HB_KEY}/one?create=1`)).status).to.equal(201);
    expect((await fetch(`${t.url}/v2/heartbeats`, { method: 'POST', headers: GENIE, body: opsgenieBody('two') })).status).to.equal(201);
    expect(
      (
        await fetch(`${t.url}/api/v1/alertmanager`, {
          method: 'POST',
          headers: { authorization: `Bearer ${HB_KEY}`, 'content-type': 'application/json' },
          body: watchdog,
        })
      ).status,
    ).to.equal(200);
    expect(await names()).to.deep.equal(['alertmanager-prod', 'one', 'two']);

    const ping = await fetch(`${t.url}/ping/${HB_KEY}/four?create=1`);
    expect(ping.status).to.equal(403);
    expect(await ping.json()).to.deep.include({ error: 'heartbeat-limit' });
    const fail = await fetch(`${t.url}/ping/${HB_KEY}/four/fail?create=1`, { method: 'POST' });
    expect(fail.status).to.equal(403);

    const genie = await fetch(`${t.url}/v2/heartbeats`, { method: 'POST', headers: GENIE, body: opsgenieBody('four') });
    expect(genie.status).to.equal(403);
    const body = (await genie.json()) as Record<string, unknown>;
    expect(body).to.have.all.keys('message', 'took', 'requestId');
    expect(body.message).to.include('heartbeats.api_create_limit');
    expect(genie.headers.get('x-request-id')).to.equal(body.requestId);

    const am = await fetch(`${t.url}/api/v1/alertmanager?heartbeat=four`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HB_KEY}`, 'content-type': 'application/json' },
      body: watchdog,
    });
    expect(am.status).to.equal(403);
    expect(await am.json()).to.deep.include({ error: 'heartbeat-limit' });

    expect(await names(), 'nothing created past the limit').to.deep.equal(['alertmanager-prod', 'one', 'two']);
  });

  it('at the limit, existing heartbeats are still pinged (with ?create=1 too), and a deletion makes room', async () => {
    for (const n of ['a', 'b', 'c']) expect((await fetch(`${t.url}/ping/${HB_KEY}/${n}?create=1`)).status).to.equal(201);
    expect((await fetch(`${t.url}/ping/${HB_KEY}/a?create=1`)).status).to.equal(200);
    expect((await fetch(`${t.url}/v2/heartbeats/b/ping`, { headers: GENIE })).status).to.equal(202);
    expect(
      (await fetch(`${t.url}/v2/heartbeats`, { method: 'POST', headers: GENIE, body: opsgenieBody('c') })).status,
      'a duplicate is still a 409',
    ).to.equal(409);
    expect((await fetch(`${t.url}/v2/heartbeats/c`, { method: 'DELETE', headers: GENIE })).status).to.equal(200);
    expect((await fetch(`${t.url}/v2/heartbeats`, { method: 'POST', headers: GENIE, body: opsgenieBody('d') })).status).to.equal(201);
  });
});

describe('heartbeats.api_create_limit defaults to 100', () => {
  it('the 101st heartbeat is refused', async function () {
    this.timeout(60_000);
    const t = await startWithHeartbeats();
    try {
      for (let i = 0; i < 100; i++) await t.app.heartbeats.create({ name: `hb-${i}`, kind: 'healthchecks', periodS: 3600, graceS: 60 });
      expect((await fetch(`${t.url}/ping/${HB_KEY}/one-more?create=1`)).status).to.equal(403);
    } finally {
      await t.close();
    }
  });
});
