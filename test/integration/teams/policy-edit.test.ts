/**
 * An escalation policy edited as the CLI and the console edit it (same name, new steps) is the one
 * alerts run: with the real resolver, the alert service and the escalation runner on a fake clock,
 * the step after the edit pages the new target, and removing the policy falls back to the team.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { ALICE, BOB, CAROL, teamsOver } from '../../helpers/teams';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import { AuditRepo } from '../../../src/audit';
import { AlertsService } from '../../../src/alerts/service';
import { AlertEscalator, cancelAlertPages } from '../../../src/alerts/escalator';
import { DEFAULT_CHANNELS } from '../../../src/alerts/config';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { TeamsResolver } from '../../../src/teams/resolver';
import type { Teams } from '../../../src/teams/service';

const MIN = 60_000;

describe('teams: an edited escalation policy is the one alerts run', () => {
  let t: TestDb;
  let clock: FakeClock;
  let teams: Teams;
  let runner: AlertEscalator;
  let alerts: AlertsService;

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock(Date.UTC(2026, 11, 7, 10, 0, 0));
    ({ teams } = await teamsOver(t.db, () => clock.now()));
    await teams.change('cli', async (ops) => {
      await ops.createTeam({ name: 'Database' });
      for (const who of [ALICE, BOB]) await ops.addMember('Database', who);
      await ops.saveTeamPolicy('Database', {
        name: 'db-esc',
        steps: [
          { afterMinutes: 0, target: { kind: 'user', email: ALICE } },
          { afterMinutes: 5, target: { kind: 'user', email: BOB } },
        ],
      });
    });
    runner = new AlertEscalator({
      db: t.db,
      clock,
      logger: silentLogger(),
      users: new UsersRepo(t.db, () => clock.now()),
      channels: DEFAULT_CHANNELS,
      onEnqueued: () => undefined,
      sweepMs: 60_000,
    });
    alerts = new AlertsService({
      db: t.db,
      audit: new AuditRepo(t.db, () => clock.now()),
      clock,
      resolver: new TeamsResolver(teams),
      logger: silentLogger(),
      // Steps are run by hand below: due is due, whatever the runner's own timer is doing.
      onDue: () => undefined,
      stopPages: async (id, why) => void (await cancelAlertPages(new NotificationsRepo(t.db, () => clock.now()), id, why)),
    });
  });
  afterEach(async () => t.close());

  const paged = async () => ((await t.db('notifications').orderBy('id')) as { email: string }[]).map((p) => p.email);
  const page = async (alias: string) => {
    await alerts.create({ name: 'test' }, null, {
      message: 'Disk full',
      alias,
      priority: 'P1',
      responders: [{ type: 'team', name: 'Database' }],
    });
    await runner.runDue();
  };
  const after = async (ms: number) => {
    await clock.advance(ms);
    await runner.runDue();
  };

  it('the step after the edit pages the new target, at the new delay', async () => {
    await page('before');
    await after(5 * MIN);
    expect(await paged()).to.deep.equal([ALICE, BOB]);
    await alerts.act({ name: 'test' }, { identifier: 'before', type: 'alias' }, { action: 'close' });

    // Edited as `dozvon teams policy Database db-esc --step 0:user:alice… --step 2:user:carol…` does.
    await teams.change('console (session ab12cd, 127.0.0.1)', (ops) =>
      ops.saveTeamPolicy('Database', {
        name: 'DB-ESC',
        steps: [
          { afterMinutes: 0, target: { kind: 'user', email: ALICE } },
          { afterMinutes: 2, target: { kind: 'user', email: CAROL } },
        ],
      }),
    );
    await page('after');
    expect(await paged()).to.deep.equal([ALICE, BOB, ALICE]);
    await after(2 * MIN);
    expect(await paged()).to.deep.equal([ALICE, BOB, ALICE, CAROL]);
    await after(10 * MIN);
    expect(await paged(), 'Bob is no longer a step').to.deep.equal([ALICE, BOB, ALICE, CAROL]);
  });

  it('with the policy removed, the team is paged all at once', async () => {
    await teams.change('cli', (ops) => ops.removeTeamPolicy('Database', 'db-esc'));
    await page('none');
    expect((await paged()).sort()).to.deep.equal([ALICE, BOB]);
  });
});
