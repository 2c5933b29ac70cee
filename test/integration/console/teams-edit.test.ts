/**
 * The team page's editors over HTTP, as an operator uses them: add a schedule, a rotation with
 * working hours and its people in order, remove it; create, edit and remove the escalation policy;
 * see the keys that send alerts to the team. Each bad form comes back as a page saying why, each
 * change is audited as the console session, and a form without its CSRF field changes nothing.
 */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp } from './harness';
import { AuditRepo } from '../../../src/audit';
import { Teams } from '../../../src/teams/service';

describe('console team editors over HTTP', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  let teams: Teams;
  let ids: Record<string, number>;
  before(async () => {
    app = await startConsoleApp();
    ids = {};
    for (const [email, name, phone] of [
      ['alice@example.com', 'Alice Smith', '+79161234567'],
      ['bob@example.com', 'Bob Jones', '+15557654321'],
    ]) {
      ids[email] = (await app.app.users.create({ email, name, phone }, { lang: 'en' })).id;
    }
    teams = new Teams({ db: app.app.db, audit: new AuditRepo(app.app.db, Date.now) });
    await teams.change('test', async (ops) => {
      await ops.createTeam({ name: 'Database' });
      await ops.createTeam({ name: 'Web' });
      await ops.addMember('Database', 'alice@example.com');
      await ops.addMember('Database', 'bob@example.com');
    });
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => app.close());

  const refusal = async (path: string, fields: Record<string, string | string[]>) => {
    const res = await c.post(path, fields);
    return { status: res.status, page: await res.text() };
  };
  const consoleLog = async (n: number) =>
    (await new AuditRepo(app.app.db, Date.now).list({ limit: 50 }))
      .filter((e) => e.actor.startsWith('console'))
      .slice(0, n)
      .map((e) => e.action);

  it('adds a schedule, and refuses a time zone that is not one on a page linking back to the team', async () => {
    let page = await c.html('/console/teams/Database');
    expect(page).to.include('action="/console/teams/Database/schedules"');
    const res = await c.post('/console/teams/Database/schedules', { name: 'DB', zone: 'Europe/Berlin' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(/\/console\/teams\/Database\?done=schedule$/);
    expect((await teams.view('Database')).schedules.map((s) => [s.name, s.timeZone])).to.deep.equal([['DB', 'Europe/Berlin']]);
    const bad = await refusal('/console/teams/Database/schedules', { name: 'Other', zone: 'Mars/Olympus' });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('IANA time zone');
    expect(bad.page).to.include('href="/console/teams/Database">Back to the team');
    page = await c.html('/console/teams/Database?done=schedule');
    expect(page).to.include('Schedule added.');
    expect(await consoleLog(1)).to.deep.equal(['schedule.create']);
  });

  it('adds a rotation with its people in order and working hours, refuses bad values, and removes it', async () => {
    const form = {
      name: 'day',
      participant: ['bob@example.com', 'alice@example.com', ''],
      start: '2026-03-02T09:00',
      length: '1',
      unit: 'weeks',
      only: 'Mon-Fri 09:00-18:00',
    };
    let bad = await refusal('/console/teams/schedules/DB/rotations', { ...form, only: 'office hours' });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('&quot;office hours&quot; is not a restriction');
    bad = await refusal('/console/teams/schedules/DB/rotations', { ...form, length: 'a week' });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('Shift length: use a whole number.');
    bad = await refusal('/console/teams/schedules/DB/rotations', { ...form, participant: ['', ''] });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('participants');
    expect((await teams.schedule('DB')).rotations).to.deep.equal([]);

    const res = await c.post('/console/teams/schedules/DB/rotations', form);
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(/\/console\/teams\/Database\?done=rotation$/);
    const [rot] = (await teams.schedule('DB')).rotations;
    expect(rot.participants).to.deep.equal([ids['bob@example.com'], ids['alice@example.com']]);
    expect(rot).to.include({ startsAt: Date.parse('2026-03-02T08:00:00Z'), length: 1, unit: 'weeks' });
    expect(rot.restrictions.map((r) => (r.kind === 'weekday-and-time-of-day' ? r.startDay : 0))).to.deep.equal([1, 2, 3, 4, 5]);
    const page = await c.html('/console/teams/Database?done=rotation');
    expect(page).to.include('Rotation added.');
    expect(page).to.include('(restricted)');
    expect(page).to.include(`action="/console/teams/schedules/DB/rotations/${rot.id}/remove"`);

    const gone = await c.post(`/console/teams/schedules/DB/rotations/${rot.id}/remove`, {});
    expect(gone.status).to.equal(303);
    expect((await teams.schedule('DB')).rotations).to.deep.equal([]);
    expect((await c.post(`/console/teams/schedules/DB/rotations/${rot.id}/remove`, {})).status).to.equal(404);
    expect(await consoleLog(2)).to.deep.equal(['rotation.remove', 'rotation.create']);
  });

  it('creates, edits and removes the escalation policy; a bad step is shown, not saved', async () => {
    let page = await c.html('/console/teams/Database');
    expect(page).to.include('Create an escalation policy');
    expect(page).to.include('value="Database_escalation"');
    const rows = {
      name: 'Database_escalation',
      after: ['0', '5', ''],
      target: ['schedule:DB', 'user:bob@example.com', ''],
      repeat: '1',
      repeatAfter: '10',
    };
    let bad = await refusal('/console/teams/Database/policy', { ...rows, after: ['0', 'soon', ''] });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('After (minutes): use a whole number.');
    bad = await refusal('/console/teams/Database/policy', { ...rows, after: ['10', '5', ''] });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('steps must be in time order');
    bad = await refusal('/console/teams/Database/policy', { ...rows, target: ['', '', ''] });
    expect(bad.status).to.equal(400);
    expect(bad.page).to.include('A policy needs at least one step');
    bad = await refusal('/console/teams/Database/policy', { ...rows, target: ['schedule:DB', 'user:zed@example.com', ''] });
    expect(bad.status).to.equal(404);
    expect(bad.page).to.include('person zed@example.com not found');
    expect((await teams.view('Database')).policies).to.deep.equal([]);

    let res = await c.post('/console/teams/Database/policy', rows);
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(/\/console\/teams\/Database\?done=policy$/);
    page = await c.html('/console/teams/Database?done=policy');
    expect(page).to.include('Escalation policy saved.');
    expect(page).to.include('after 5 min: Bob Jones');
    expect(page).to.include('Repeated 1 more time(s), 10 min after the last step.');
    // The edit form comes prefilled with the steps as they are.
    expect(page).to.match(/<option value="user:bob@example.com" selected>/);

    res = await c.post('/console/teams/Database/policy', { ...rows, after: ['0', '3'], target: ['schedule:DB', 'team:Web'], repeat: '' });
    expect(res.status).to.equal(303);
    const [pol] = (await teams.view('Database')).policies;
    expect(pol.steps.map((s) => [s.afterMinutes, s.target.kind])).to.deep.equal([
      [0, 'schedule'],
      [3, 'team'],
    ]);
    expect(pol.repeat, 'a cleared repeat field is no repeat').to.equal(0);
    expect(await c.html('/console/teams/Database')).to.include('after 3 min: the whole team Web');

    res = await c.post(`/console/teams/Database/policy/${pol.id}/remove`, {});
    expect(res.status).to.equal(303);
    expect((await teams.view('Database')).policies).to.deep.equal([]);
    expect(await consoleLog(3)).to.deep.equal(['policy.remove', 'policy.update', 'policy.create']);
  });

  it("lists the keys that send alerts to the team, masked, and not another team's or a revoked one", async () => {
    const { integrations } = app.app.alerts;
    const byDefault = await integrations.create('test', { name: 'grafana', defaultTeam: 'database', rules: [] });
    const byRule = await integrations.create('test', {
      name: 'zabbix',
      defaultTeam: 'Web',
      rules: [{ field: 'tag', equals: 'db', team: 'Database' }],
    });
    await integrations.create('test', { name: 'web-only', defaultTeam: 'Web', rules: [] });
    const revoked = await integrations.create('test', { name: 'old', defaultTeam: 'Database', rules: [] });
    await integrations.revoke('test', revoked.integration.id);
    const page = await c.html('/console/teams/Database');
    const keys = page.slice(page.indexOf('id="keys"'));
    expect(keys).to.include(`grafana</bdi></td><td><code>…${byDefault.key.slice(-4)}</code></td><td>default team`);
    expect(keys).to.include(`zabbix</bdi></td><td><code>…${byRule.key.slice(-4)}</code></td><td>rule tag:db`);
    expect(keys).to.not.include('web-only');
    expect(keys).to.not.include('>old<');
    expect(page).to.not.include(byDefault.key);
    expect(keys).to.include('href="/console/alerts/integrations"');
  });

  it('refuses the new forms without CSRF and changes nothing', async () => {
    expect((await c.post('/console/teams/Web/schedules', { name: 'Sneaky', zone: 'UTC' }, { csrf: null })).status).to.equal(403);
    const policy = { name: 'sneaky', after: '0', target: 'team:Web' };
    expect((await c.post('/console/teams/Web/policy', policy, { csrf: null })).status).to.equal(403);
    expect((await teams.view('Web')).schedules).to.deep.equal([]);
    expect((await teams.view('Web')).policies).to.deep.equal([]);
  });
});
