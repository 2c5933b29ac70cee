/**
 * The Teams area over HTTP, as an operator uses it: create a team, add members, see who is on
 * call and the two-week timeline, take over tonight, remove the override; every change audited as
 * the console session, every form refused without its CSRF field.
 */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp } from './harness';
import { AuditRepo } from '../../../src/audit';
import { Teams } from '../../../src/teams/service';
import { tonight } from '../../../src/console/teams/pages';

describe('console teams over HTTP', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  let teams: Teams;
  before(async () => {
    app = await startConsoleApp();
    await app.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+79161234567' }, { lang: 'en' });
    await app.app.users.create({ email: 'bob@example.com', name: 'Bob <Jones>', phone: '+15557654321' }, { lang: 'en' });
    teams = new Teams({ db: app.app.db, audit: new AuditRepo(app.app.db, Date.now) });
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => app.close());

  it('creates a team, adds members, shows the schedule, takes over tonight and removes it again', async () => {
    expect(await c.html('/console/teams')).to.include('No teams yet');
    let res = await c.post('/console/teams/new', { name: 'Database', description: 'Primary & replicas' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(/\/console\/teams\/Database\?done=created$/);
    for (const email of ['alice@example.com', 'bob@example.com']) {
      res = await c.post('/console/teams/Database/members', { email, role: email.startsWith('alice') ? 'admin' : 'user' });
      expect(res.status).to.equal(303);
    }
    await teams.change('test', async (ops) => {
      await ops.createSchedule({ name: 'DB', team: 'Database', timeZone: 'Europe/Berlin' });
      await ops.addRotation('DB', {
        name: 'primary',
        participants: ['alice@example.com', 'bob@example.com'],
        startsAt: Date.now() - 3_600_000,
        length: 1,
        unit: 'weeks',
      });
    });
    let page = await c.html('/console/teams/Database');
    expect(page).to.include('Primary &amp; replicas');
    expect(page).to.include('On call now: Alice Smith.');
    expect(page).to.include('class="tl-shift c0"');
    expect(page).to.include('Bob &lt;Jones&gt;');
    expect(page).to.match(/href="http:\/\/dozvon\.test:8080\/calendar\/R[A-Z0-9]{12}\.[0-9a-z]+\.[A-Za-z0-9_-]{22}\.ics"/);
    const night = tonight(Date.now(), 'Europe/Berlin');
    res = await c.post('/console/teams/schedules/DB/overrides', { email: 'bob@example.com', from: night.from, to: night.to, rotation: '' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(/\/console\/teams\/Database\?done=override$/);
    const s = await teams.schedule('DB');
    expect(s.overrides).to.have.length(1);
    page = await c.html('/console/teams/Database?done=override');
    expect(page).to.include('Override added.');
    expect(page).to.include('tl-shift c1 override');
    res = await c.post(`/console/teams/schedules/DB/overrides/${s.overrides[0].id}/remove`, {});
    expect(res.status).to.equal(303);
    expect((await teams.schedule('DB')).overrides).to.deep.equal([]);
    const log = (await new AuditRepo(app.app.db, Date.now).list({ limit: 20 }))
      .filter((e) => e.actor.startsWith('console'))
      .map((e) => e.action)
      .reverse();
    expect(log).to.deep.equal(['team.create', 'team.member-add', 'team.member-add', 'override.create', 'override.remove']);
    expect(await c.html('/console/teams')).to.match(/Database<\/bdi><\/a><\/td><td>2<\/td><td><bdi>Alice Smith<\/bdi>/);
  });

  it('shows refusals (a duplicate, a bad time, an unknown team) and refuses a form without CSRF', async () => {
    await c.post('/console/teams/new', { name: 'Web' });
    let res = await c.post('/console/teams/new', { name: 'WEB' });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.include('a team named WEB already exists');
    await teams.change('test', (ops) => ops.createSchedule({ name: 'WebS', team: 'Web', timeZone: 'UTC' }));
    res = await c.post('/console/teams/schedules/WebS/overrides', {
      email: 'bob@example.com',
      from: 'tonight',
      to: 'tomorrow',
      rotation: '',
    });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.include('2026-03-02T18:00');
    expect((await c.get('/console/teams/Nope')).status).to.equal(404);
    expect((await c.post('/console/teams/new', { name: 'Sneaky' }, { csrf: null })).status).to.equal(403);
    expect((await teams.listTeams()).map((x) => x.name)).to.not.include('Sneaky');
  });

  it('prefills tonight as 18:00 to 08:00 in the schedule zone', () => {
    expect(tonight(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin')).to.deep.equal({
      from: '2026-03-29T18:00',
      to: '2026-03-30T08:00',
    });
    expect(tonight(Date.parse('2026-03-28T23:30:00Z'), 'America/New_York')).to.deep.equal({
      from: '2026-03-28T18:00',
      to: '2026-03-29T08:00',
    });
  });
});
