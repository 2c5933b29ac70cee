/**
 * Teams: every change commits with its audit entry (or not at all), names are unique regardless of
 * case, and what is stored reads back as the schedule the on-call computation expects. The
 * resolver turns responders into the plan the alerts side runs.
 */
import { expect } from 'chai';
import { forEachDb, type AnyTestDb } from '../../helpers/pg';
import { refusal, rejection } from '../../helpers/rejection';
import { ALICE, BOB, CAROL, teamsOver } from '../../helpers/teams';
import type { Teams } from '../../../src/teams/service';
import type { BreakableAudit } from '../../helpers/breakable-audit';
import { TeamsResolver } from '../../../src/teams/resolver';

const DAY = 86_400_000;
const MIN = 60_000;
const T0 = Date.parse('2026-03-02T08:00:00Z'); // Monday 09:00 in Berlin

forEachDb('Teams service', (make) => {
  let t: AnyTestDb;
  let teams: Teams;
  let audit: BreakableAudit;
  let ids: Record<string, number>;

  beforeEach(async () => {
    t = await make();
    ({ teams, audit, ids } = await teamsOver(t.db));
    await teams.change('cli', async (ops) => {
      await ops.createTeam({ name: 'Database' });
      await ops.addMember('database', ALICE);
      await ops.addMember('Database', BOB, 'admin');
      await ops.createSchedule({ name: 'DB_schedule', team: 'Database', timeZone: 'Europe/Berlin' });
      await ops.addRotation('db_schedule', { name: 'primary', participants: [ALICE, BOB], startsAt: T0, length: 1, unit: 'weeks' });
    });
  });
  afterEach(async () => t.close());

  it('audits each change under its actor and reads the schedule back for the on-call computation', async () => {
    await teams.change('console (session ab12cd, 127.0.0.1)', (ops) =>
      ops.addOverride('DB_schedule', { user: CAROL, startsAt: T0 + DAY, endsAt: T0 + DAY + 12 * 3_600_000, rotation: 'primary' }),
    );
    const log = (await audit.list()).filter((e) => e.actor !== 'test').reverse();
    expect(log.map((e) => [e.actor, e.action, e.target])).to.deep.equal([
      ['cli', 'team.create', 'Database'],
      ['cli', 'team.member-add', 'Database'],
      ['cli', 'team.member-add', 'Database'],
      ['cli', 'schedule.create', 'DB_schedule'],
      ['cli', 'rotation.create', 'DB_schedule/primary'],
      ['console (session ab12cd, 127.0.0.1)', 'override.create', 'DB_schedule'],
    ]);
    const on = await teams.onCall('db_SCHEDULE', T0 + DAY + 3_600_000);
    expect(on.now.map((u) => u.email)).to.deep.equal([CAROL]);
    expect(on.next).to.include({ at: T0 + DAY + 12 * 3_600_000 });
    expect(on.next!.users.map((u) => u.email)).to.deep.equal([ALICE]);
    const view = await teams.view('Database');
    expect(view.members.map((m) => [m.user.email, m.role])).to.deep.equal([
      [ALICE, 'user'],
      [BOB, 'admin'],
    ]);
    expect(view.schedules[0].rotations[0]).to.include({ name: 'primary', startsAt: T0, unit: 'weeks', length: 1 });
    expect(view.schedules[0].rotations[0].participants).to.deep.equal([ids[ALICE], ids[BOB]]);
  });

  it('a batch whose audit entry fails leaves nothing behind', async () => {
    audit.broken = true;
    expect(await refusal(teams.change('cli', (ops) => ops.createTeam({ name: 'Web' })))).to.equal('audit log refused');
    audit.broken = false;
    expect((await teams.listTeams()).map((x) => x.name)).to.deep.equal(['Database']);
  });

  it('refuses duplicate names in any case, unknown people, bad time zones and bad restrictions', async () => {
    expect((await rejection(teams.change('cli', (ops) => ops.createTeam({ name: 'DATABASE' })))).code).to.equal('conflict');
    expect((await rejection(teams.change('cli', (ops) => ops.addMember('Database', 'nobody@example.com')))).code).to.equal('not-found');
    expect((await rejection(teams.change('cli', (ops) => ops.createSchedule({ name: 'x', timeZone: 'Mars/Olympus' })))).message).to.match(
      /IANA/,
    );
    const bad = rejection(
      teams.change('cli', (ops) =>
        ops.addRotation('DB_schedule', {
          name: 'night',
          participants: [ALICE],
          startsAt: T0,
          length: 1,
          unit: 'days',
          restrictions: [{ kind: 'time-of-day', start: '25:00', end: '06:00' }],
        }),
      ),
    );
    expect((await bad).message).to.match(/HH:mm/);
  });

  it('removing a person takes them out of teams and rotations', async () => {
    await t.db('users').where({ email_key: BOB }).delete();
    const s = await teams.schedule('DB_schedule');
    expect(s.rotations[0].participants).to.deep.equal([ids[ALICE]]);
    expect((await teams.view('Database')).members.map((m) => m.user.email)).to.deep.equal([ALICE]);
  });

  describe('resolver', () => {
    let resolver: TeamsResolver;
    beforeEach(() => {
      resolver = new TeamsResolver(teams);
    });

    it('a team without a policy calls all its members; with none named, the default team', async () => {
      const p = await resolver.plan([], 'Database', T0 + 3_600_000);
      expect(p.steps).to.deep.equal([{ afterMs: 0, userIds: [ids[ALICE], ids[BOB]], label: 'team Database' }]);
      expect(p.teamId).to.be.a('string');
      expect((await resolver.plan([], null, T0)).steps).to.deep.equal([]);
    });

    it('a team with a policy runs its steps and repeats, in time order; a schedule step reaches whoever is on call when it fires', async () => {
      await teams.change('cli', (ops) =>
        ops.savePolicy({
          name: 'Database_escalation',
          team: 'Database',
          steps: [
            { afterMinutes: 0, target: { kind: 'schedule', name: 'DB_schedule' } },
            { afterMinutes: 5, target: { kind: 'user', email: CAROL } },
            { afterMinutes: 10, target: { kind: 'team', name: 'Database' } },
          ],
          repeat: 1,
          repeatAfterMinutes: 20,
        }),
      );
      // Two minutes before Alice hands over to Bob: the first pass's schedule step reaches Alice, the repeat reaches Bob.
      const at = T0 + 7 * DAY - 2 * MIN;
      const p = await resolver.plan([{ type: 'team', name: 'database' }], null, at);
      expect(p.steps.map((s) => [s.afterMs / MIN, s.userIds, s.label])).to.deep.equal([
        [0, [ids[ALICE]], 'on call of DB_schedule'],
        [5, [ids[CAROL]], CAROL],
        [10, [ids[ALICE], ids[BOB]], 'team Database'],
        [30, [ids[BOB]], 'on call of DB_schedule (repeat 1)'],
        [35, [ids[CAROL]], `${CAROL} (repeat 1)`],
        [40, [ids[ALICE], ids[BOB]], 'team Database (repeat 1)'],
      ]);
      expect(p.unresolved).to.deep.equal([]);
    });

    it('users by username (email), schedules and escalations by name; what matches nothing is listed', async () => {
      const p = await resolver.plan(
        [
          { type: 'schedule', name: 'DB_schedule' },
          { type: 'user', username: CAROL },
          { type: 'user', username: 'ghost@example.com' },
          { type: 'escalation', name: 'nope' },
          { type: 'team', id: 'T000' },
        ],
        'Database',
        T0 + 3_600_000,
      );
      expect(p.steps.map((s) => [s.afterMs, s.userIds, s.label])).to.deep.equal([
        [0, [ids[ALICE]], 'on call of DB_schedule'],
        [0, [ids[CAROL]], CAROL],
      ]);
      expect(p.unresolved).to.deep.equal(['user ghost@example.com', 'escalation nope', 'team T000']);
    });

    it('a schedule with nobody on call is named as a gap, not silently skipped', async () => {
      const p = await resolver.plan([{ type: 'schedule', name: 'DB_schedule' }], null, T0 - DAY);
      expect(p.steps).to.deep.equal([]);
      expect(p.unresolved).to.deep.equal(['on call of DB_schedule: nobody']);
    });
  });
});
