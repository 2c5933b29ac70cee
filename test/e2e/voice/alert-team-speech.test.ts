/**
 * The call about a team's alert names the team as people know it: the alert keeps the team's
 * id (the API's ownerTeamId), and the call reads its name.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld } from './harness';
import { AuditRepo } from '../../../src/audit';
import { Teams } from '../../../src/teams/service';

describe('voice e2e: the team an alert call names', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  afterEach(() => w.close());

  it('reads the responder team by its name, not its id', async () => {
    w = await voiceWorld({ env: { DOZVON_ONCALL_URL: '', DOZVON_ONCALL_TOKEN: '' } });
    const { app } = w.t;
    await app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    const teams = new Teams({ db: app.db, audit: new AuditRepo(app.db, Date.now) });
    const team = await teams.change('test', async (ops) => {
      const t = await ops.createTeam({ name: 'Database' });
      await ops.addMember('Database', 'alice@example.com');
      return t;
    });
    const { key } = await app.alerts.integrations.create('test', { name: 'am', defaultTeam: null, rules: [] });
    w.asterisk.phone('+15550001111');
    // The escalation runner starts once its cluster lease is taken, on the app's (fake) clock.
    await w.advance(1000);
    const r = await fetch(`${w.t.url}/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `GenieKey ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'DiskFull db-2', priority: 'P1', responders: [{ type: 'team', name: 'database' }] }),
    });
    expect(r.status).to.equal(202);
    const row = await w.until(() => app.db('notifications').where({ source: 'alert' }).first(), 'the page');
    const [a] = await app.alerts.service.list({}, { offset: 0, limit: 1, sort: 'createdAt', order: 'asc' });
    expect(a.team, 'the alert keeps the id').to.equal(team.id);
    const text = await app.alerts.speech.text((await app.notifications.get(row.id))!, 'en', w.clock.now());
    expect(text).to.match(/ Team Database\.$/);
  });
});
