/**
 * The alerts console over HTTP: an integration key made (shown once) and revoked, the key used
 * over the Opsgenie API, the list by state and search, an alert's timeline with who was paged
 * and the link to the call's Listen page, acknowledge and close as the operator.
 */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp } from './harness';

describe('console alerts over HTTP', function () {
  this.timeout(30000);
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    app = await startConsoleApp();
    await app.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    c = await ConsoleClient.signIn(app.url);
  });
  after(() => app.close());

  const og = (key: string, method: string, path: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `GenieKey ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('creates a key shown once, masks it afterwards, refuses a bad rule, and revokes it', async () => {
    const bad = await c.post('/console/alerts/integrations', { name: 'x', team: '', routes: 'label:a=b' });
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.include('Not a rule: label:a=b');
    const made = await c.post('/console/alerts/integrations', { name: 'grafana', team: 'web', routes: 'tag:db=dba\npriority:P1=sre' });
    expect(made.status).to.equal(201);
    const key = /<code class="mono" id="new-key">([^<]+)<\/code>/.exec(await made.text())![1];
    expect((await og(key, 'GET', '/v2/alerts')).status).to.equal(200);
    const list = await c.html('/console/alerts/integrations');
    expect(list)
      .to.include('grafana')
      .and.include(`…${key.slice(-4)}`)
      .and.include('tag:db=dba, priority:P1=sre');
    expect(list).to.not.include(key);
    const id = (await app.app.alerts.integrations.list()).find((i) => i.name === 'grafana')!.id;
    const revoke = await c.post(`/console/alerts/integrations/${id}/revoke`, {});
    expect(revoke.status).to.equal(303);
    expect((await og(key, 'GET', '/v2/alerts')).status).to.equal(401);
    const audit = (await app.app.db('audit_log').where('action', 'like', 'integration.%').orderBy('id')) as {
      action: string;
      detail: string;
    }[];
    expect(audit.map((a) => a.action)).to.deep.equal(['integration.create', 'integration.revoke']);
    expect(audit.map((a) => a.detail).join()).to.not.include(key);
  });

  it('lists alerts by state and search; the timeline shows who was paged with a Listen link; acknowledge and close as the operator', async () => {
    const { key } = await app.app.alerts.integrations.create('test', { name: 'am', defaultTeam: 'ops', rules: [] });
    await og(key, 'POST', '/v2/alerts', {
      message: 'DiskFull <db-2>',
      alias: 'disk',
      priority: 'P1',
      responders: [{ type: 'user', username: 'alice@example.com' }],
    });
    await og(key, 'POST', '/v2/alerts', { message: 'DiskFull <db-2>', alias: 'disk' });
    await og(key, 'POST', '/v2/alerts', { message: 'Latency api', alias: 'lat' });
    const disk = (await app.app.alerts.service.get({ identifier: 'disk', type: 'alias' }))!;
    await app.app.alerts.escalator.runDue();

    const open = await c.html('/console/alerts');
    expect(open).to.include('DiskFull &lt;db-2&gt;').and.include('Latency api');
    const searched = await c.html('/console/alerts?state=open&q=latency');
    expect(searched).to.include('Latency api').and.not.include('DiskFull');

    const detail = await c.html(`/console/alerts/${disk.id}`);
    expect(detail).to.include('occurred again').and.include('escalation step').and.include('Alice Smith: call');
    const page = (await app.app.db('notifications').where({ source: 'alert' }).first()) as { id: number };
    expect(detail).to.include(`/console/pages/${page.id}`);

    const ack = await c.post(`/console/alerts/${disk.id}/acknowledge`, {});
    expect(ack.status).to.equal(303);
    expect((await app.app.alerts.service.get({ identifier: disk.id, type: 'id' }))!.acknowledged).to.equal(true);
    expect(await c.html('/console/alerts?state=acknowledged')).to.include('DiskFull');
    await c.post(`/console/alerts/${disk.id}/close`, {});
    const closed = (await app.app.alerts.service.get({ identifier: disk.id, type: 'id' }))!;
    expect(closed.status).to.equal('closed');
    expect(closed.closedBy).to.match(/console/);
    expect(await c.html('/console/alerts?state=closed')).to.include('DiskFull');
    expect(await c.html('/console/alerts?state=open')).to.not.include('DiskFull');
  });
});
