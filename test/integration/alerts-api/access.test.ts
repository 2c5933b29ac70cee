/**
 * Access rights per integration key over real HTTP: a valid key asking beyond its rights gets
 * Opsgenie's 403 shape on every kind of route, before its body is even read; a key without a
 * right it was never given is still refused after the body would have been valid.
 */
import { expect } from 'chai';
import { alertsHarness, AlertsHarness } from './harness';

describe('Opsgenie Alert API: access rights per key (real HTTP)', function () {
  this.timeout(20000);
  let h: AlertsHarness;
  let readOnly: string;
  let writeOnly: string;
  let alertId: string;
  let requestId: string;
  before(async () => {
    h = await alertsHarness();
    const make = async (name: string, access: ('read' | 'write')[]) =>
      (await h.t.app.alerts.integrations.create('test', { name, defaultTeam: 'ops', rules: [], access })).key;
    readOnly = await make('dashboards', ['read']);
    writeOnly = await make('zabbix', ['write']);
    const created = await h.og('POST', '/v2/alerts', { message: 'Disk full', alias: 'db-disk' }, writeOnly);
    expect(created.status).to.equal(202);
    requestId = created.body.requestId;
    alertId = (await h.og('GET', '/v2/alerts/db-disk?identifierType=alias')).body.data.id;
  });
  after(() => h.close());

  const forbidden = (r: { status: number; body: any; headers: Headers }, right: string) => {
    expect(r.status, JSON.stringify(r.body)).to.equal(403);
    expect(Object.keys(r.body).sort()).to.deep.equal(['message', 'requestId', 'took']);
    expect(r.body.message).to.include(right);
    expect(r.headers.get('x-request-id')).to.equal(r.body.requestId);
  };

  it('a read-only key reads (get, list, count) but gets 403 on create, every action and every update', async () => {
    expect((await h.og('GET', `/v2/alerts/${alertId}`, undefined, readOnly)).status).to.equal(200);
    expect((await h.og('GET', '/v2/alerts?query=status:open', undefined, readOnly)).body.totalCount).to.equal(1);
    expect((await h.og('GET', '/v2/alerts/count', undefined, readOnly)).body.data.count).to.equal(1);
    forbidden(await h.og('POST', '/v2/alerts', { message: 'x' }, readOnly), 'write');
    for (const action of ['acknowledge', 'unacknowledge', 'close', 'notes', 'escalate', 'assign', 'snooze'])
      forbidden(await h.og('POST', `/v2/alerts/db-disk/${action}?identifierType=alias`, { note: 'n' }, readOnly), 'write');
    forbidden(await h.og('PUT', `/v2/alerts/${alertId}/message`, { message: 'y' }, readOnly), 'write');
    // Refused before the body is read: a broken body still gets the 403, not a 400 or 422.
    forbidden(await h.og('POST', '/v2/alerts', '{broken', readOnly), 'write');
    const a = (await h.og('GET', `/v2/alerts/${alertId}`, undefined, readOnly)).body.data;
    expect(a).to.include({ status: 'open', acknowledged: false, message: 'Disk full' });
  });

  it('a write-only key creates and acts but gets 403 on get, list, count and request status', async () => {
    forbidden(await h.og('GET', `/v2/alerts/${alertId}`, undefined, writeOnly), 'read');
    forbidden(await h.og('GET', '/v2/alerts', undefined, writeOnly), 'read');
    forbidden(await h.og('GET', '/v2/alerts/count', undefined, writeOnly), 'read');
    forbidden(await h.og('GET', `/v2/alerts/requests/${requestId}`, undefined, writeOnly), 'read');
    expect((await h.og('POST', '/v2/alerts/db-disk/acknowledge?identifierType=alias', {}, writeOnly)).status).to.equal(202);
    expect((await h.og('GET', `/v2/alerts/${alertId}`)).body.data.acknowledged).to.equal(true);
  });

  it('a key made without naming rights reads and writes; a wrong key is still 401, not 403', async () => {
    expect((await h.og('GET', '/v2/alerts')).status).to.equal(200);
    expect((await h.og('POST', '/v2/alerts', { message: 'default rights' })).status).to.equal(202);
    expect((await h.og('GET', '/v2/alerts', undefined, 'not-a-key-0123456789')).status).to.equal(401);
  });
});
