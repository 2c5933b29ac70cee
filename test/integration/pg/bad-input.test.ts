/**
 * Inputs SQLite would store and PostgreSQL would refuse with an error (NUL bytes, text past its
 * column, numbers past int4) get the same 4xx on both, before anything is written.
 */
import { expect } from 'chai';
import { forEachDb } from '../../helpers/pg';
import { startAppOn } from '../../helpers/app-db';
import { ADMIN_TOKEN, CLOUD_TOKEN, RunningApp } from '../../helpers/app';
import { HeartbeatsRepo } from '../../../src/watchers/heartbeats/repo';
import { ValidationError } from '../../../src/core/errors';

const HB_KEY = 'bad-input-heartbeat-key-0123';

forEachDb('same answers on both databases for bad input', (_make, kind) => {
  let t: RunningApp;
  before(async () => {
    t = await startAppOn(kind, { DOZVON_HEARTBEAT_KEYS: HB_KEY });
    await t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
  });
  after(() => t?.close());

  const req = (method: string, path: string, opts: { headers?: Record<string, string>; json?: unknown; form?: string } = {}) =>
    fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...opts.headers,
      },
      body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.form,
    });
  const cloud = { authorization: CLOUD_TOKEN };
  const genie = { authorization: `GenieKey ${HB_KEY}` };

  const cases: [string, () => Promise<Response>, number][] = [
    ['a NUL in a users query', () => req('GET', '/api/v1/users?email=%00', { headers: cloud }), 400],
    [
      'a NUL in an admin path',
      () => req('GET', '/api/admin/users/a%00b@example.com', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      400,
    ],
    [
      "a NUL in a make_call message (DRF's answer)",
      () => req('POST', '/api/v1/make_call', { headers: cloud, form: 'email=alice%40example.com&message=a%00b' }),
      400,
    ],
    [
      'an integration name of 201 characters',
      () => req('POST', '/api/v1/integrations', { headers: cloud, form: `type=formatted_webhook&name=${'n'.repeat(201)}` }),
      400,
    ],
    [
      'an integration name of 500 characters',
      () => req('POST', '/api/v1/integrations', { headers: cloud, form: `type=formatted_webhook&name=${'n'.repeat(500)}` }),
      400,
    ],
    [
      'a heartbeat period of 24 856 days',
      () =>
        req('POST', '/v2/heartbeats', { headers: genie, json: { name: 'forever', interval: 24_856, intervalUnit: 'days', enabled: true } }),
      422,
    ],
    [
      'a heartbeat period of 366 days',
      () => req('POST', '/v2/heartbeats', { headers: genie, json: { name: 'yearly', interval: 366, intervalUnit: 'days', enabled: true } }),
      422,
    ],
    [
      'a grace of 1e300',
      () =>
        req('POST', '/v2/heartbeats', {
          headers: genie,
          json: { name: 'graceful', interval: 5, intervalUnit: 'minutes', enabled: true, grace: 1e300 },
        }),
      422,
    ],
    [
      'a grace of 8 days',
      () =>
        req('POST', '/v2/heartbeats', {
          headers: genie,
          json: { name: 'graceful', interval: 5, intervalUnit: 'minutes', enabled: true, grace: '8d' },
        }),
      422,
    ],
    [
      'a NUL in a heartbeat name (JSON)',
      () =>
        req('POST', '/v2/heartbeats', { headers: genie, json: { name: 'a\u0000b', interval: 5, intervalUnit: 'minutes', enabled: true } }),
      400,
    ],
    ['a heartbeat name of 201 characters created by ping', () => req('GET', `/ping/${'h'.repeat(201)}?create=1`, { headers: genie }), 400],
    [
      'an admin user name of 201 characters',
      () =>
        req('POST', '/api/admin/users', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          json: { email: 'long@example.com', name: 'x'.repeat(201) },
        }),
      400,
    ],
  ];
  for (const [label, send, status] of cases) {
    it(`${label} → ${status}`, async () => {
      const before = await counts(t);
      const r = await send();
      expect(r.status, await r.clone().text()).to.equal(status);
      expect(await counts(t)).to.deep.equal(before);
    });
  }

  it('a longest-allowed period and grace are stored', async () => {
    const r = await req('POST', '/v2/heartbeats', {
      headers: genie,
      json: { name: 'yearly-ok', interval: 365, intervalUnit: 'days', enabled: true, grace: '7d', page: ['alice@example.com'] },
    });
    expect(r.status, await r.clone().text()).to.equal(201);
  });

  it('a NUL in text OnCall relays (fcm_relay title, webhook title) is dropped, and the page stored: 200, not a retry storm', async () => {
    const push = await req('POST', '/mobile_app/v1/fcm_relay', {
      headers: cloud,
      json: { token: 'device-token', data: { title: 'Disk\u0000 full', subtitle: 'db-1' }, apns: {} },
    });
    expect(push.status).to.equal(200);
    const stored = (await t.app.db('notifications').where({ source: 'oncall-fcm-relay' }).first()) as { message: string };
    expect(stored.message).to.equal('Disk full\ndb-1');
    const hook = await req('POST', '/api/v1/oncall/webhook', {
      headers: cloud,
      json: {
        alert_group_id: 'IABCDEFGHJKLM',
        user: { email: 'alice@example.com' },
        alert_group: { id: 'IABCDEFGHJKLM', title: 'CPU\u0000 high' },
        event: { type: 'personal notification' },
      },
    });
    expect(hook.status, await hook.clone().text()).to.equal(200);
  });

  it('the heartbeat repository refuses what the columns cannot hold, whoever calls it (the CLI too)', async () => {
    const repo = new HeartbeatsRepo(t.app.db);
    const base = { kind: 'healthchecks' as const, periodS: 60, graceS: 0 };
    for (const bad of [
      { name: 'x'.repeat(201) },
      { name: 'p', periodS: 24_856 * 86_400 },
      { name: 'g', graceS: 1e300 },
      { name: 'n\u0000' },
      { name: 'f', periodS: 1.5 },
    ]) {
      let err: unknown = null;
      await repo.insert({ ...base, ...bad }, Date.now()).catch((e: unknown) => (err = e));
      expect(err, JSON.stringify(bad).slice(0, 60)).to.be.instanceOf(ValidationError);
    }
  });
});

async function counts(t: RunningApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['notifications', 'heartbeats', 'cloud_integrations', 'users']) {
    const [row] = (await t.app.db(table).count({ n: '*' })) as { n: number | string }[];
    out[table] = Number(row.n);
  }
  return out;
}
