/**
 * The alerts console over HTTP: an integration key made (shown once) and revoked, the key used
 * over the Opsgenie API, the list by state and search, an alert's timeline with who was paged
 * and the link to the call's Listen page, acknowledge and close as the operator.
 */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp } from './harness';
import { AuditRepo } from '../../../src/audit';
import { Teams } from '../../../src/teams/service';

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
    const made = await c.post('/console/alerts/integrations', {
      name: 'grafana',
      team: 'web',
      routes: 'tag:db=dba\npriority:P1=sre',
      access: ['read', 'write'],
    });
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

  it('offers both rights ticked; a key given read only is listed so and refused writing; none ticked is refused', async () => {
    const form = await c.html('/console/alerts/integrations');
    expect(form)
      .to.match(/name="access" value="read"[^>]* checked/)
      .and.to.match(/name="access" value="write"[^>]* checked/);
    const none = await c.post('/console/alerts/integrations', { name: 'nothing', team: '', routes: '' });
    expect(none.status).to.equal(400);
    expect(await none.text()).to.include('Tick at least one right.');
    const made = await c.post('/console/alerts/integrations', { name: 'wallboard', team: '', routes: '', access: 'read' });
    expect(made.status).to.equal(201);
    const key = /<code class="mono" id="new-key">([^<]+)<\/code>/.exec(await made.text())![1];
    expect((await og(key, 'GET', '/v2/alerts')).status).to.equal(200);
    expect((await og(key, 'POST', '/v2/alerts', { message: 'x' })).status).to.equal(403);
    const row = /<tr>(?:(?!<\/tr>).)*wallboard(?:(?!<\/tr>).)*<\/tr>/s.exec(await c.html('/console/alerts/integrations'))![0];
    expect(row).to.include('<td>read</td>');
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

  it("names the alert's team by its name, not the id the API keeps", async () => {
    const teams = new Teams({ db: app.app.db, audit: new AuditRepo(app.app.db, Date.now) });
    const team = await teams.change('test', (ops) => ops.createTeam({ name: 'Database' }));
    const { key } = await app.app.alerts.integrations.create('test', { name: 'dba', defaultTeam: team.id, rules: [] });
    await og(key, 'POST', '/v2/alerts', { message: 'Replication lag', alias: 'lag' });
    const a = (await app.app.alerts.service.get({ identifier: 'lag', type: 'alias' }))!;
    expect(a.team).to.equal(team.id);
    const detail = await c.html(`/console/alerts/${a.id}`);
    expect(detail).to.include('Database').and.not.include(team.id);
  });
});
