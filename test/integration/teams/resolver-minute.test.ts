/**
 * The length of a policy's minute: production counts real minutes; a story on a real Asterisk
 * shortens it, and every delay of the plan (steps and repeats) shrinks with it, while a schedule
 * step still asks who is on call at the moment the shortened step fires.
 */
import { expect } from 'chai';
import { makeTestDb, type TestDb } from '../../helpers/db';
import { ALICE, BOB, CAROL, teamsOver } from '../../helpers/teams';
import type { Teams } from '../../../src/teams/service';
import { TeamsResolver } from '../../../src/teams/resolver';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;

describe('TeamsResolver: the length of a policy minute', () => {
  let t: TestDb;
  let teams: Teams;
  let ids: Record<string, number>;

  beforeEach(async () => {
    t = await makeTestDb();
    ({ teams, ids } = await teamsOver(t.db));
    await teams.change('cli', async (ops) => {
      await ops.createTeam({ name: 'Database' });
      await ops.createSchedule({ name: 'DB', team: 'Database', timeZone: 'UTC' });
      // Alice until T0 + 1 h, then Bob.
      await ops.addRotation('DB', { name: 'primary', participants: [ALICE, BOB], startsAt: T0 - 23 * HOUR, length: 1, unit: 'days' });
      await ops.savePolicy({
        name: 'Database_escalation',
        team: 'Database',
        steps: [
          { afterMinutes: 0, target: { kind: 'schedule', name: 'DB' } },
          { afterMinutes: 8, target: { kind: 'user', email: CAROL } },
        ],
        repeat: 1,
        repeatAfterMinutes: 22,
      });
    });
  });
  afterEach(() => t.close());

  const plan = async (r: TeamsResolver, at: number) => (await r.plan([], 'Database', at)).steps.map((s) => [s.afterMs, s.userIds, s.label]);

  it('is a real minute unless told otherwise', async () => {
    expect(await plan(new TeamsResolver(teams), T0)).to.deep.equal([
      [0, [ids[ALICE]], 'on call of DB'],
      [8 * 60_000, [ids[CAROL]], CAROL],
      [30 * 60_000, [ids[ALICE]], 'on call of DB (repeat 1)'],
      [38 * 60_000, [ids[CAROL]], `${CAROL} (repeat 1)`],
    ]);
  });

  it('shortened, scales every step and repeat, and reads the schedule at the shortened moment', async () => {
    // 30 s before the hand-off: the repeat's schedule step (30 policy minutes = 30 s) reaches Bob.
    expect(await plan(new TeamsResolver(teams, { minuteMs: 1000 }), T0 + HOUR - 30_000)).to.deep.equal([
      [0, [ids[ALICE]], 'on call of DB'],
      [8_000, [ids[CAROL]], CAROL],
      [30_000, [ids[BOB]], 'on call of DB (repeat 1)'],
      [38_000, [ids[CAROL]], `${CAROL} (repeat 1)`],
    ]);
  });
});
