/**
 * A claim over a backlog (an alert storm for one person, a long outage). The check "is someone
 * else paging this person" was a correlated subquery: for each due page it read all of the
 * person's pages again. With 23 562 pages for one person a claim took 260 s, and the engine,
 * claiming every two seconds, kept a core busy and the writer taken. The busy people are now
 * found once per query; SQLite's plan says so, whatever the machine's speed.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';

describe('claiming over a backlog', () => {
  let t: TestDb;
  let now: number;
  let repo: NotificationsRepo;
  let users: UsersRepo;
  let alice: number;
  let bob: number;

  beforeEach(async () => {
    t = await makeTestDb();
    now = 1_000_000;
    repo = new NotificationsRepo(t.db, () => now);
    users = new UsersRepo(t.db, () => now);
    alice = (await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' })).id;
    bob = (await users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222' }, { lang: 'en' })).id;
  });
  afterEach(() => t.close());

  const page = (userId: number) => ({ kind: 'call' as const, source: 'oncall-cloud', userId, email: 'x@example.com', message: 'm' });

  /** SQLite's plan for every query on notifications that the claims send. */
  async function plansOf(run: () => Promise<unknown>): Promise<string[]> {
    const sent: { sql: string; bindings: unknown[] }[] = [];
    const listen = (q: { sql: string; bindings: unknown[] }) => {
      if (/^select .* from `notifications`/i.test(q.sql)) sent.push(q);
    };
    t.db.on('query', listen);
    try {
      await run();
    } finally {
      t.db.removeListener('query', listen);
    }
    const plans: string[] = [];
    for (const q of sent) {
      const rows = (await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never[])) as { detail: string }[];
      plans.push(rows.map((r) => r.detail).join('\n'));
    }
    return plans;
  }

  it('looks for the people someone else is paging once per query, not once per due page', async () => {
    await repo.insertManyIn(
      t.db as never,
      Array.from({ length: 300 }, () => page(alice)),
    );
    const plans = await plansOf(async () => {
      await repo.anyClaimable({ owner: 'i1', kinds: ['call'] });
      await repo.claimPeople({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, people: 5, perPerson: 21 });
      await repo.claim({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, limit: 5 });
    });
    expect(plans.length, 'the claims asked the queue').to.be.greaterThanOrEqual(3);
    for (const p of plans) expect(p).to.not.match(/CORRELATED/);
  });

  it('still skips a person another instance is paging, and still takes pages whose person was deleted', async () => {
    const [bobs] = await repo.insertManyIn(t.db as never, [page(bob)]);
    await repo.claimPeople({ owner: 'other', kinds: ['call'], leaseMs: 60_000, people: 1, perPerson: 21 });
    expect((await repo.get(bobs.id))!.leaseOwner).to.equal('other');
    // A live lease on a page whose person is gone: its NULL person must not hide everyone else.
    const carol = (await users.create({ email: 'carol@example.com', name: 'Carol', phone: '+15550003333' }, { lang: 'en' })).id;
    const [carols] = await repo.insertManyIn(t.db as never, [page(carol)]);
    await repo.claimPeople({ owner: 'other', kinds: ['call'], leaseMs: 60_000, people: 1, perPerson: 21 });
    await users.remove('carol@example.com');
    expect((await repo.get(carols.id))!.userId).to.equal(null);
    const [orphan] = await repo.insertManyIn(t.db as never, [page(alice)]);
    await t.db('notifications').where({ id: orphan.id }).update({ user_id: null });
    const stored = await repo.insertManyIn(t.db as never, [page(alice), page(bob)]);
    const { rows } = await repo.claimPeople({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, people: 10, perPerson: 21 });
    const got = rows.map((r) => r.id).sort((a, b) => a - b);
    // Alice's page and the orphan; Bob's new page waits for the call the other instance is making.
    expect(got).to.deep.equal([orphan.id, stored[0].id].sort((a, b) => a - b));
  });
});
