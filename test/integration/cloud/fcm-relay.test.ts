import { expect } from 'chai';
import { startApp, RunningApp } from '../../helpers/app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';
import { deviceKey } from '../../../src/cloud/fcm-relay';

// Serialised the way requests does it: ", " and ": " separators, non-ASCII as \uXXXX.
function pyJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    .replace(/","/g, '", "')
    .replace(/":/g, '": ');
}

const message = (token = 'fcm-device-token-abc') => ({
  android: { priority: 'high' },
  apns: { headers: { 'apns-priority': '10' }, payload: { aps: { alert: { title: 'New alert', body: '#42 High CPU' }, badge: 3 } } },
  data: {
    title: 'New alert group — диск',
    subtitle: '#42 High CPU\nvia Prod - Formatted webhook\nStatus: Firing, alerts: 3',
    orgId: 'OABCDEFGHIJKL',
    alertGroupId: 'IABCDEFGHJKLM',
    status: '0',
    type: 'oncall.critical_message',
  },
  token,
});

describe('cloud contract: mobile_app/v1/fcm_relay', () => {
  let t: RunningApp;
  beforeEach(async () => {
    t = await startApp();
  });
  afterEach(() => t.close());
  const post = (body: string, path = '/mobile_app/v1/fcm_relay', contentType = 'application/json') =>
    rawRequest(t.port, pyRequest('POST', path, { token: 'cloud-token-1-0123456789', body, contentType }));

  it('H: accepts a relayed push with 200 and stores it with its alertGroupId, without the device token', async () => {
    const r = await post(pyJson(message()));
    expect(r.status).to.equal(200);
    const [row] = await t.app.db('notifications').select('*');
    expect(row).to.include({ kind: 'push', alert_group_id: 'IABCDEFGHJKLM', correlation: 'exact', state: 'pending' });
    expect(row.message).to.include('New alert group — диск');
    expect(row.payload).to.not.include('fcm-device-token-abc');
    expect(JSON.parse(row.payload).device).to.equal(deviceKey('fcm-device-token-abc'));
  });

  it('routes the push to the person whose contacts name the device key', async () => {
    await t.app.users.create({ email: 'bob@example.com', name: 'Bob', contacts: { fcm_device: deviceKey('bobs-phone') } }, { lang: 'en' });
    expect((await post(pyJson(message('bobs-phone')), '/mobile_app/v1/fcm_relay/')).status).to.equal(200);
    const [row] = await t.app.db('notifications').select('*');
    expect(row.email).to.equal('bob@example.com');
  });

  for (const missing of ['token', 'data', 'apns']) {
    it(`400 JSON when ${missing} is missing (the engine does not retry a 4xx)`, async () => {
      const m: Record<string, unknown> = message();
      delete m[missing];
      const r = await post(pyJson(m));
      expect(r.status).to.equal(400);
      expect(r.json()).to.deep.equal({ detail: `Missing field: ${missing}.` });
    });
  }

  it('android is optional; a non-JSON body is a 400, never a 5xx', async () => {
    const m: Record<string, unknown> = message();
    delete m.android;
    expect((await post(pyJson(m))).status).to.equal(200);
    const form = await post('token=x&data=y', '/mobile_app/v1/fcm_relay', 'application/x-www-form-urlencoded');
    expect(form.status).to.equal(400);
    expect((await post('{not json')).status).to.equal(400);
  });

  it('a bad token → 403', async () => {
    const r = await rawRequest(
      t.port,
      pyRequest('POST', '/mobile_app/v1/fcm_relay', { token: 'nope', body: pyJson(message()), contentType: 'application/json' }),
    );
    expect(r.status).to.equal(403);
  });
});
