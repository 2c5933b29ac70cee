/**
 * The escalation runner on a real SQLite file and a fake clock: the next step's time lives in the
 * database, so a new runner (a restart, another instance after a takeover) continues the plan;
 * two runners at once page a step once; acknowledging stops it; the integration's routed team
 * reaches the resolver.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import { AuditRepo } from '../../../src/audit';
import { AlertsService } from '../../../src/alerts/service';
import { AlertEscalator, cancelAlertPages } from '../../../src/alerts/escalator';
import { DEFAULT_CHANNELS } from '../../../src/alerts/config';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import type { ResponderResolver } from '../../../src/alerts/responders';

const FIVE_MIN = 300_000;

describe('alerts: the escalation runner', () => {
  let t: TestDb;
  let clock: FakeClock;
  let users: UsersRepo;
  let runners: AlertEscalator[];
  const teams: (string | null)[] = [];

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock(Date.UTC(2026, 11, 6, 3, 0, 0));
    users = new UsersRepo(t.db, () => clock.now());
    await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    await users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222', channels: ['sms'] }, { lang: 'en' });
    runners = [];
    teams.length = 0;
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
    await t.close();
  });

  const resolver: ResponderResolver = {
    async plan(_r, team) {
      teams.push(team);
      const alice = (await users.getByEmail('alice@example.com'))!.id;
      const bob = (await users.getByEmail('bob@example.com'))!.id;
      return {
        steps: [
          { afterMs: 0, userIds: [alice], label: 'alice' },
          { afterMs: FIVE_MIN, userIds: [bob], label: 'bob' },
        ],
        teamId: team,
        unresolved: [],
      };
    },
  };
  const runner = () => {
    const r = new AlertEscalator({
      db: t.db,
      clock,
      logger: silentLogger(),
      users,
      channels: DEFAULT_CHANNELS,
      onEnqueued: () => undefined,
      sweepMs: 60_000,
    });
    runners.push(r);
    return r;
  };
  const service = (kick: () => void) =>
    new AlertsService({
      db: t.db,
      audit: new AuditRepo(t.db, () => clock.now()),
      clock,
      resolver,
      logger: silentLogger(),
      onDue: kick,
      stopPages: async (id, why) => void (await cancelAlertPages(new NotificationsRepo(t.db, () => clock.now()), id, why)),
    });
  const pages = async () => (await t.db('notifications').orderBy('id')) as { email: string; kind: string; state: string }[];
  const integration = {
    id: 'i1',
    name: 'am',
    keyHint: 'abcd',
    defaultTeam: 'ops',
    rules: [{ field: 'tag' as const, equals: 'db', team: 'dba' }],
    createdAt: 0,
    revokedAt: null,
  };

  it('a restarted runner pages the next step at its time, once; the channel follows the priority and the person', async () => {
    const first = runner();
    first.start();
    const svc = service(() => first.kick());
    await svc.create({ name: 'integration am' }, integration, { message: 'Disk full', alias: 'disk', priority: 'P1', tags: ['db'] });
    await clock.advance(0);
    await first.idle();
    expect(teams).to.deep.equal(['dba']);
    expect((await pages()).map((p) => `${p.email}:${p.kind}`)).to.deep.equal(['alice@example.com:call']);
    await first.stop();

    // Two minutes of nobody running, then a new instance.
    await clock.advance(120_000);
    const second = runner();
    second.start();
    await second.idle();
    await clock.advance(FIVE_MIN - 120_000 - 1_000);
    await second.idle();
    expect(await pages()).to.have.length(1);
    await clock.advance(1_000);
    await second.idle();
    // Bob takes SMS only: his first usable channel stands in for the call.
    expect((await pages()).map((p) => `${p.email}:${p.kind}`)).to.deep.equal(['alice@example.com:call', 'bob@example.com:sms']);
    await clock.advance(FIVE_MIN);
    await second.idle();
    expect(await pages()).to.have.length(2);
  });

  it('two runners at the same due step page it once', async () => {
    const svc = service(() => undefined);
    await svc.create({ name: 'x' }, null, { message: 'Disk full', priority: 'P1' });
    const [a, b] = [runner(), runner()];
    const ran = await Promise.all([a.runDue(), b.runDue()]);
    expect(ran[0] + ran[1]).to.equal(1);
    expect(await pages()).to.have.length(1);
  });

  it('acknowledging stops the escalation and cancels the pages still waiting', async () => {
    const r = runner();
    r.start();
    const svc = service(() => r.kick());
    await svc.create({ name: 'x' }, null, { message: 'Disk full', alias: 'disk', priority: 'P1' });
    await clock.advance(0);
    await r.idle();
    const out = await svc.act(
      { name: 'Alice', email: 'alice@example.com' },
      { identifier: 'disk', type: 'alias' },
      { action: 'acknowledge' },
    );
    expect(out).to.include({ success: true, status: 'Acknowledged' });
    expect(out.alert).to.include({ owner: 'alice@example.com', nextStepAt: null });
    expect((await pages())[0]).to.include({ state: 'cancelled' });
    await clock.advance(2 * FIVE_MIN);
    await r.idle();
    expect(await pages()).to.have.length(1);
  });
});
