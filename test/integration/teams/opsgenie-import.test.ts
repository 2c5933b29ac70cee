/**
 * `dozvon import opsgenie DIR` without the CLI around it: the sample answers in
 * test/fixtures/opsgenie (written from Opsgenie's documented shapes) become people, teams,
 * schedules, rotations, overrides and policies; what has no equivalent is listed; applying is
 * all or nothing and audited; importing again changes nothing twice.
 */
import { expect } from 'chai';
import { makeTestDb, type TestDb } from '../../helpers/db';
import { refusal } from '../../helpers/rejection';
import { BreakableAudit } from '../../helpers/breakable-audit';
import { AuditRepo } from '../../../src/audit';
import { Teams } from '../../../src/teams/service';
import { readOpsgenieDir } from '../../../src/teams/opsgenie-import/read';
import { planImport } from '../../../src/teams/opsgenie-import/plan';
import { applyOpsgenie, existingFor } from '../../../src/teams/opsgenie-import/apply';
import { previewLines } from '../../../src/teams/opsgenie-import/preview';

const DIR = 'test/fixtures/opsgenie';
const NOW = Date.parse('2026-03-03T12:00:00Z');

describe('Opsgenie import', () => {
  let t: TestDb;
  let teams: Teams;
  let audit: BreakableAudit;

  beforeEach(async () => {
    t = await makeTestDb();
    audit = new BreakableAudit(new AuditRepo(t.db, Date.now));
    teams = new Teams({ db: t.db, audit, now: () => NOW });
  });
  afterEach(async () => t.close());

  const plan = async () => planImport(readOpsgenieDir(DIR), await existingFor(teams), NOW);
  const run = async () => applyOpsgenie(teams, 'cli (root@ops-1)', await plan(), { source: DIR, lang: 'en' });

  it('previews what will be created and lists every part it cannot import', async () => {
    const text = previewLines(await plan()).join('\n');
    expect(text).to.include('people: 3 to create, 0 already here');
    expect(text).to.include('+ Database: ann@example.com (admin), boris@example.com, chen@example.com');
    expect(text).to.include('rotation primary: every 1 weeks from 2026-03-02T08:00Z, ann@example.com → boris@example.com');
    expect(text).to.include(
      '+ Database_escalation (team Database): 0 min: schedule Database_schedule; 5 min: schedule Database_schedule; 10 min: ann@example.com; 60 min: team Database; repeat 2×',
    );
    const p = await plan();
    expect(p.unsupported).to.deep.equal([
      'team Database: chen@example.com has the custom role "dba-lead"; imported as user',
      'schedule Database_schedule, rotation business hours: an empty turn ("none" participant) is left out',
      'schedule Database_schedule, rotation business hours: team Web as a participant is left out (only people take turns here)',
      'escalation Database_escalation, rule 2: notifyType "next" is run as default (the one on call now)',
      'escalation Database_escalation, rule 4: condition "if-not-closed" is run as if-not-acked',
      'escalation Database_escalation, rule 4: notifyType "all" is run as default (the one on call now)',
      'escalation Web_escalation, rule 2: recipient escalation Database_escalation is left out',
    ]);
  });

  it('applies it: rotations keep their hand-offs and restrictions, the override and policies come along, all audited', async () => {
    const n = await run();
    expect(n).to.deep.equal({ people: 3, teams: 2, schedules: 2, rotations: 3, overrides: 1, policies: 2 });
    const db = await teams.schedule('Database_schedule');
    expect(db.timeZone).to.equal('Europe/Berlin');
    const hours = db.rotations.find((r) => r.name === 'business hours')!;
    expect(hours.restrictions).to.deep.equal([{ kind: 'weekday-and-time-of-day', startDay: 1, start: '09:00', endDay: 5, end: '17:30' }]);
    const web = await teams.schedule('Web_schedule');
    expect(web.enabled).to.equal(false);
    expect(web.rotations[0]).to.include({ unit: 'hours', length: 12, startsAt: Date.parse('2026-03-01T07:30:00Z') });
    expect(web.rotations[0].restrictions).to.deep.equal([{ kind: 'time-of-day', start: '22:00', end: '06:00' }]);
    // Tuesday 18:30 Berlin: Chen's "I take tonight" override of the primary rotation.
    const on = await teams.onCall('Database_schedule', Date.parse('2026-03-03T17:30:00Z'));
    expect(on.now.map((u) => u.email)).to.deep.equal(['chen@example.com']);
    const actions = (await audit.list({ limit: 100 })).map((e) => e.action);
    expect(actions[0]).to.equal('teams.import-opsgenie');
    expect(actions.filter((a) => a === 'user.create')).to.have.length(3);
  });

  it('importing again updates in place: nothing doubled', async () => {
    await run();
    const again = await plan();
    expect(again.teams.map((x) => x.status)).to.deep.equal(['update', 'update']);
    expect(again.people.map((x) => x.status)).to.deep.equal(['exists', 'exists', 'exists']);
    await run();
    const db = await teams.schedule('Database_schedule');
    expect(db.rotations.map((r) => r.name)).to.deep.equal(['primary', 'business hours']);
    expect(db.overrides).to.have.length(1);
    expect((await teams.listTeams()).map((x) => x.name)).to.deep.equal(['Database', 'Web']);
  });

  it('is all or nothing: a failed audit write leaves the database as it was', async () => {
    audit.broken = true;
    expect(await refusal(run())).to.equal('audit log refused');
    audit.broken = false;
    expect(await teams.listTeams()).to.deep.equal([]);
    expect(await t.db('users').count({ n: '*' })).to.deep.equal([{ n: 0 }]);
  });

  it('says which file is missing', () => {
    expect(() => readOpsgenieDir('test/fixtures')).to.throw(/users.json is missing/);
  });
});
