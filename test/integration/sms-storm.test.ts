import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { FakeClock } from '../fakes/clock';
import { FakeSmsGateway } from '../fakes/senders';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { MessageEngine } from '../../src/dispatch/message-engine';
import { buildSenders, SenderSet } from '../../src/senders';
import { limitsSchema } from '../../src/limits';
import { silentLogger } from '../../src/core/log';

const LIST = 'http://dozvon.test/console/pages?person=a%40x.io&kind=sms&period=24h';

describe('SMS storm: a new incident is not held behind 25 others (fake clock, fake gateway)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let gw: FakeSmsGateway;
  let senders: SenderSet;
  let repo: NotificationsRepo;
  let engine: MessageEngine;
  let userId: number;

  const start = async (lang: 'en' | 'ru') => {
    t = await makeTestDb();
    clock = new FakeClock();
    gw = await FakeSmsGateway.start();
    senders = buildSenders(
      { sms: [{ type: 'http', name: 'gw', url: `${gw.url}/send`, body: { to: '{{to}}', text: '{{text}}' } }] },
      { clock, logger: silentLogger() },
    );
    repo = new NotificationsRepo(t.db, () => clock.now());
    const users = new UsersRepo(t.db, () => clock.now());
    userId = (await users.create({ email: 'a@x.io', name: 'A', phone: '+15550001111', channels: ['sms'] }, { lang })).id;
    engine = new MessageEngine(
      {
        repo,
        users,
        senders,
        ackUrl: (n) => `http://dozvon.test/ack/${n.id}`,
        listUrl: () => LIST,
        // Three texts per 15 minutes: the storm spends the allowance within its first minute.
        limits: limitsSchema.parse({ per_user: { sms: '3/15m' } }),
        clock,
        logger: silentLogger(),
      },
      { instanceId: 'i1', sweepMs: 1000 },
    );
    engine.start();
  };
  afterEach(async () => {
    await engine.stop();
    await senders.close();
    await gw.close();
    await t.close();
  });

  const sms = async (message: string, alertGroupId: string) => {
    const { notification } = await repo.enqueue({ kind: 'sms', source: 'oncall-cloud', userId, email: 'a@x.io', message, alertGroupId });
    engine.kick();
    await engine.idle();
    return notification.id;
  };
  const advance = async (ms: number) => {
    for (let d = 0; d < ms; d += 1000) {
      await clock.advance(Math.min(1000, ms - d));
      await engine.idle();
    }
  };
  const texts = () => gw.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);
  const storm = async () => {
    for (let i = 1; i <= 25; i++) {
      await sms(`Alert ${i}: disk full on db-${i}`, `IG${i}`);
      await advance(2_000);
    }
  };

  it('after 25 pages for 25 alert groups in a minute, the 26th alert group reaches the gateway within 30 s; repeats wait', async () => {
    await start('en');
    await storm();
    await advance(20_000);
    const sent = texts().length;
    expect(sent, 'the storm went out as a few bundles').to.be.within(3, 5);
    const fresh = await sms('Alert 26: api down', 'IG26');
    const arrived = clock.now();
    while (!texts().some((x) => x.includes('Alert 26')) && clock.now() - arrived <= 30_000) await advance(1_000);
    expect(clock.now() - arrived, 'the new incident left within 30 s').to.be.at.most(30_000);
    expect((await repo.get(fresh))!.state).to.equal('delivered');
    const repeat = await sms('Alert 1 again', 'IG1');
    await advance(5 * 60_000);
    expect((await repo.get(repeat))!.state, 'the spent allowance holds the repeat').to.equal('pending');
    expect(texts().some((x) => x.includes('Alert 1 again'))).to.equal(false);
  });

  it('every bundle names at most 3 alerts, then "and N more" with the link to the list', async () => {
    await start('en');
    await storm();
    await advance(20_000);
    const bundles = texts().filter((x) => /^\d+ alerts:/.test(x));
    expect(bundles.length).to.be.greaterThan(0);
    for (const b of bundles) {
      const n = Number(/^(\d+) alerts:/.exec(b)![1]);
      expect(b.match(/\d\) Alert/g)!.length).to.equal(Math.min(n, 3));
      if (n > 3) expect(b).to.contain(` and ${n - 3} more: ${LIST}`);
      expect(b.length).to.be.at.most(600);
    }
  });

  it('in Russian the bundle counts with the right plural and says "и ещё N"', async () => {
    await start('ru');
    await storm();
    await advance(20_000);
    const bundles = texts().filter((x) => /^\d+ алерт/.test(x));
    expect(bundles.length).to.be.greaterThan(0);
    const b = bundles.find((x) => Number(/^(\d+)/.exec(x)![1]) > 3)!;
    const n = Number(/^(\d+)/.exec(b)![1]);
    expect(b).to.contain(` и ещё ${n - 3}: ${LIST}`);
  });
});
