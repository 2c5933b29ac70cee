/** The Opsgenie Alert API v2 stand-in, route by route and error by error, over real HTTP and SQLite. */
import { expect } from 'chai';
import { alertsHarness, AlertsHarness } from './harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Opsgenie Alert API v2 stand-in (real HTTP)', function () {
  this.timeout(20000);
  let h: AlertsHarness;
  beforeEach(async () => {
    h = await alertsHarness();
  });
  afterEach(() => h.close());

  const status = async (requestId: string) => (await h.og('GET', `/v2/alerts/requests/${requestId}`)).body.data;
  const create = (body: Record<string, unknown>) => h.og('POST', '/v2/alerts', body);

  it('create: 202 with result, took and requestId; the request status is ready at once; get by id, tiny and alias', async () => {
    const r = await create({
      message: 'Disk full',
      alias: 'db-2-disk',
      priority: 'P2',
      tags: ['disk'],
      details: { host: 'db-2' },
      entity: 'db-2',
    });
    expect(r.status).to.equal(202);
    expect(Object.keys(r.body).sort()).to.deep.equal(['requestId', 'result', 'took']);
    expect(r.body.result).to.equal('Request will be processed');
    expect(r.body.requestId).to.match(UUID);
    expect(r.headers.get('x-request-id')).to.equal(r.body.requestId);
    const s = await status(r.body.requestId);
    expect(s).to.include({ success: true, isSuccess: true, action: 'Create', status: 'Created alert', alias: 'db-2-disk' });
    expect(s.alertId).to.match(UUID);
    const byId = await h.og('GET', `/v2/alerts/${s.alertId}`);
    expect(byId.status).to.equal(200);
    expect(byId.body.data).to.include({
      id: s.alertId,
      alias: 'db-2-disk',
      message: 'Disk full',
      status: 'open',
      acknowledged: false,
      priority: 'P2',
      count: 1,
      entity: 'db-2',
    });
    expect(byId.body.data.details).to.deep.equal({ host: 'db-2' });
    expect(byId.body.data.integration).to.include({ name: 'prometheus', type: 'API' });
    const tiny = byId.body.data.tinyId;
    expect((await h.og('GET', `/v2/alerts/${tiny}?identifierType=tiny`)).body.data.id).to.equal(s.alertId);
    expect((await h.og('GET', '/v2/alerts/db-2-disk?identifierType=alias')).body.data.id).to.equal(s.alertId);
  });

  it('create: defaults (P3, alias = id, source = caller address) and over-long values cut to the limits', async () => {
    const r = await create({
      message: 'm'.repeat(200),
      description: 'd'.repeat(20_000),
      tags: Array.from({ length: 25 }, (_, i) => `${i}`.padEnd(60, 't')),
      actions: Array.from({ length: 12 }, (_, i) => `a${i}`),
      source: 's'.repeat(150),
      user: 'u'.repeat(150),
    });
    expect(r.status).to.equal(202);
    const a = (await h.og('GET', `/v2/alerts/${(await status(r.body.requestId)).alertId}`)).body.data;
    expect(a.message).to.have.length(130);
    expect(a.description).to.have.length(15_000);
    expect(a.tags).to.have.length(20);
    expect(a.tags[0]).to.have.length(50);
    expect(a.actions).to.have.length(10);
    expect(a.source).to.have.length(100);
    expect(a.priority).to.equal('P3');
    expect(a.alias).to.equal(a.id);
    const plain = await create({ message: 'no source', source: '' });
    const b = (await h.og('GET', `/v2/alerts/${(await status(plain.body.requestId)).alertId}`)).body.data;
    expect(b.source).to.match(/127\.0\.0\.1/);
  });

  it('create: 422 names the field (no message, empty message, bad priority, nested details, bad responder); bad JSON is 400', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'message'],
      [{ message: '' }, 'message'],
      [{ message: 'x', priority: 'P9' }, 'priority'],
      [{ message: 'x', details: { a: { b: 'c' } } }, 'details.a'],
      [{ message: 'x', responders: [{ type: 'robot', name: 'r2' }] }, 'responders.0.type'],
      [{ message: 'x', responders: [{ type: 'user' }] }, 'responders.0'],
    ];
    for (const [body, field] of cases) {
      const r = await create(body);
      expect(r.status, JSON.stringify(body)).to.equal(422);
      expect(r.body.message).to.match(/^Request body is not processable\./);
      expect(r.body.errors, JSON.stringify(body)).to.have.property(field);
      expect(r.body.requestId).to.match(UUID);
    }
    const bad = await h.og('POST', '/v2/alerts', '{"message": ');
    expect(bad.status).to.equal(400);
    expect(bad.body).to.have.property('message');
    expect(await h.t.app.alerts.service.count({})).to.equal(0);
  });

  it('authentication: missing, wrong or revoked key → 401 in Opsgenie shape; 20 wrong keys from an address → 429 with the throttling headers', async () => {
    const none = await fetch(`${h.t.url}/v2/alerts`, { method: 'POST' });
    expect(none.status).to.equal(401);
    expect(none.headers.get('x-opsgenie-errortype')).to.equal('AuthenticationException');
    expect(await none.json()).to.include({ message: 'Could not authenticate' });
    expect((await h.og('GET', '/v2/alerts', undefined, 'not-the-key')).status).to.equal(401);
    const second = await h.t.app.alerts.integrations.create('test', { name: 'old', defaultTeam: null, rules: [] });
    expect((await h.og('GET', '/v2/alerts', undefined, second.key)).status).to.equal(200);
    await h.t.app.alerts.integrations.revoke('test', 'old');
    expect((await h.og('GET', '/v2/alerts', undefined, second.key)).status).to.equal(401);
    // One wrong key (the revoked one) so far since the good request cleared the count: 19 more make 20.
    for (let i = 0; i < 19; i++) await h.og('GET', '/v2/alerts', undefined, `wrong-${i}`);
    const locked = await h.og('GET', '/v2/alerts');
    expect(locked.status).to.equal(429);
    expect(locked.headers.get('x-ratelimit-state')).to.equal('THROTTLED');
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(locked.body.message).to.match(/Too many requests/);
  });

  it('deduplication by alias: the open alert counts up and logs it, without a second alert; once closed the alias opens a new one', async () => {
    const first = await create({ message: 'Disk full', alias: 'disk' });
    const again = await create({ message: 'Disk full (again)', alias: 'disk', priority: 'P1' });
    const s1 = await status(first.body.requestId);
    const s2 = await status(again.body.requestId);
    expect(s2).to.include({ success: true, alertId: s1.alertId, status: 'Alert is deduplicated' });
    const a = (await h.og('GET', '/v2/alerts/disk?identifierType=alias')).body.data;
    expect(a).to.include({ count: 2, message: 'Disk full', priority: 'P3' });
    const events = await h.t.app.alerts.service.events(s1.alertId);
    expect(events.map((e) => e.kind)).to.include('deduplicated');
    expect((await h.og('GET', '/v2/alerts/count')).body.data.count).to.equal(1);
    const close = await h.og('POST', '/v2/alerts/disk/close?identifierType=alias', { source: 'am' });
    expect(close.status).to.equal(202);
    expect(await status(close.body.requestId)).to.include({ success: true, action: 'Close', alertId: s1.alertId });
    const reopened = await status((await create({ message: 'Disk full', alias: 'disk' })).body.requestId);
    expect(reopened.alertId).to.not.equal(s1.alertId);
    const now = (await h.og('GET', '/v2/alerts/disk?identifierType=alias')).body.data;
    expect(now).to.include({ id: reopened.alertId, status: 'open', count: 1 });
    expect(Number(now.tinyId)).to.equal(Number(a.tinyId) + 1);
  });

  it('actions: acknowledge, unacknowledge, notes, assign, snooze, escalate, close; each 202 with its request status', async () => {
    const id = (await status((await create({ message: 'x', alias: 'a1' })).body.requestId)).alertId;
    const act = async (path: string, body: Record<string, unknown> = {}) => {
      const r = await h.og('POST', `/v2/alerts/${path}`, body);
      expect(r.status, path).to.equal(202);
      return status(r.body.requestId);
    };
    expect(await act('a1/acknowledge?identifierType=alias', { user: 'alice', note: 'looking' })).to.include({
      success: true,
      action: 'Acknowledge',
      status: 'Acknowledged',
    });
    expect((await h.og('GET', `/v2/alerts/${id}`)).body.data).to.include({ acknowledged: true });
    expect(await act('a1/acknowledge?identifierType=alias')).to.include({ status: 'Alert is already acknowledged' });
    expect(await act(`${id}/unacknowledge`)).to.include({ success: true, status: 'Unacknowledged' });
    expect(await act(`${id}/notes`, { note: 'rebooting' })).to.include({ success: true, action: 'AddNote' });
    expect(await act(`${id}/assign`, { owner: { username: 'bob@example.com' } })).to.include({ success: true, action: 'Assign' });
    expect((await h.og('GET', `/v2/alerts/${id}`)).body.data.owner).to.equal('bob@example.com');
    const end = new Date(Date.now() + 3_600_000).toISOString();
    expect(await act(`${id}/snooze`, { endTime: end })).to.include({ success: true, action: 'Snooze' });
    expect((await h.og('GET', `/v2/alerts/${id}`)).body.data).to.include({ snoozed: true });
    // Nobody to escalate to: the plan had no step.
    expect(await act(`${id}/escalate`, { escalation: { name: 'default' } })).to.include({ success: false, action: 'EscalateToNext' });
    expect(await act(`${id}/close`, { note: 'fixed' })).to.include({ success: true, status: 'Closed alert' });
    expect((await h.og('GET', `/v2/alerts/${id}`)).body.data).to.include({ status: 'closed' });
    expect(await act(`${id}/acknowledge`)).to.include({ success: false, status: 'Alert is already closed' });
    const kinds = (await h.t.app.alerts.service.events(id)).map((e) => e.kind);
    expect(kinds).to.include.members(['created', 'acknowledged', 'unacknowledged', 'note', 'assigned', 'snoozed', 'closed']);
    const audit = await h.t.app.db('audit_log').where('action', 'like', 'alert.%').select('action');
    expect(audit.map((r: { action: string }) => r.action)).to.include.members(['alert.create', 'alert.acknowledge', 'alert.close']);
  });

  it('actions: a missing alert is a 202 with a failed status; missing required fields and a bad identifierType are 422', async () => {
    const gone = await h.og('POST', '/v2/alerts/nope/close?identifierType=alias', {});
    expect(gone.status).to.equal(202);
    expect(await status(gone.body.requestId)).to.include({ success: false, isSuccess: false, status: 'Alert does not exist', alertId: '' });
    await create({ message: 'x', alias: 'a2' });
    const cases: [string, Record<string, unknown>, string][] = [
      ['a2/notes?identifierType=alias', {}, 'note'],
      ['a2/snooze?identifierType=alias', {}, 'endTime'],
      ['a2/snooze?identifierType=alias', { endTime: 'tomorrow' }, 'endTime'],
      ['a2/assign?identifierType=alias', {}, 'owner'],
      ['a2/escalate?identifierType=alias', {}, 'escalation'],
      ['a2/close?identifierType=name', {}, 'identifierType'],
    ];
    for (const [path, body, field] of cases) {
      const r = await h.og('POST', `/v2/alerts/${path}`, body);
      expect(r.status, path).to.equal(422);
      expect(r.body.errors, path).to.have.property(field);
    }
    expect((await h.og('GET', '/v2/alerts/missing')).status).to.equal(404);
    expect((await h.og('GET', '/v2/alerts/requests/00000000-0000-4000-8000-000000000000')).status).to.equal(404);
    expect((await h.og('POST', '/v2/alerts/a2/frobnicate?identifierType=alias', {})).status).to.equal(404);
  });

  it("request status: another integration's request is not found", async () => {
    const r = await create({ message: 'x' });
    const other = await h.t.app.alerts.integrations.create('test', { name: 'grafana', defaultTeam: null, rules: [] });
    expect((await h.og('GET', `/v2/alerts/requests/${r.body.requestId}`, undefined, other.key)).status).to.equal(404);
  });

  it('list and count: query on status, priority and tag; paging with next and last; bad paging or query is 422', async () => {
    await create({ message: 'one', alias: 'p1', priority: 'P1', tags: ['disk'] });
    await create({ message: 'two', alias: 'p2', priority: 'P2', tags: ['net'] });
    await create({ message: 'three', alias: 'p3', priority: 'P1', tags: ['disk', 'prod'] });
    await h.og('POST', '/v2/alerts/p3/close?identifierType=alias', {});
    const list = async (q: string) => (await h.og('GET', `/v2/alerts?${q}`)).body;
    expect((await list('query=status%3A%20open')).data.map((a: any) => a.alias)).to.deep.equal(['p2', 'p1']);
    expect((await list('query=priority%3AP1')).data.map((a: any) => a.alias).sort()).to.deep.equal(['p1', 'p3']);
    expect((await list('query=tag%3Adisk%20AND%20status%3Aopen')).data.map((a: any) => a.alias)).to.deep.equal(['p1']);
    expect((await list('order=asc')).data.map((a: any) => a.alias)).to.deep.equal(['p1', 'p2', 'p3']);
    const page = await list('limit=1&offset=1');
    expect(page.data).to.have.length(1);
    expect(page.paging.next).to.match(/offset=2&limit=1/);
    expect(page.paging.last).to.match(/offset=2/);
    expect(page.data[0]).to.not.have.property('description');
    expect((await h.og('GET', '/v2/alerts/count?query=tag%3Adisk')).body.data.count).to.equal(2);
    for (const q of [
      'limit=0',
      'limit=101',
      'offset=-1',
      'sort=color',
      'order=up',
      'query=status%3Aopen%20OR%20priority%3AP1',
      'query=owner%3Abob',
    ]) {
      const r = await h.og('GET', `/v2/alerts?${q}`);
      expect(r.status, q).to.equal(422);
      expect(Object.keys(r.body.errors), q).to.have.length(1);
    }
  });

  it('paths real clients produce: a prefix, a trailing slash, a double slash and a percent-encoded alias', async () => {
    expect((await h.og('POST', '/opsgenie/v2/alerts', { message: 'x', alias: 'a b/c' })).status).to.equal(202);
    expect((await h.og('POST', '/v2/alerts/', { message: 'y', alias: 'zbx-1' })).status).to.equal(202);
    const grafana = await h.og('POST', '/v2/alerts//zbx-1/close?identifierType=alias', { source: 'Grafana' });
    expect(grafana.status).to.equal(202);
    expect((await status(grafana.body.requestId)).success).to.equal(true);
    const enc = await h.og('GET', `/v2/alerts/${encodeURIComponent('a b/c')}?identifierType=alias`);
    expect(enc.status).to.equal(200);
    expect(enc.body.data.message).to.equal('x');
  });
});
