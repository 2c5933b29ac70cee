/**
 * A claim that waits for SQLite's one writer (the intake is committing the rest of a burst) takes
 * the pages committed while it waited: "due" is the time the claim gets the connection, not the
 * time it asked for it. Before, the first page of a burst was claimed alone and the other
 * nineteen waited for a second claim round.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';

describe('claiming while the writer is busy', () => {
  let t: TestDb;
  let now: number;
  let repo: NotificationsRepo;
  let ids: number[];
  beforeEach(async () => {
    t = await makeTestDb();
    now = 1_000;
    repo = new NotificationsRepo(t.db, () => now);
    const users = new UsersRepo(t.db, () => now);
    ids = [];
    for (const name of ['a', 'b'])
      ids.push((await users.create({ email: `${name}@example.com`, name, phone: '+15550001111' }, { lang: 'en' })).id);
  });
  afterEach(() => t.close());

  const page = (userId: number) => ({ kind: 'call' as const, source: 'oncall-cloud', userId, email: 'x@example.com', message: 'm' });

  for (const how of ['claimPeople', 'claim'] as const)
    it(`${how} takes a page committed while it waited for the connection`, async () => {
      await repo.enqueue(page(ids[0]));
      let claimed: Promise<number[]> | null = null;
      await t.db.transaction(async (tx) => {
        // The claim asks for the connection now and gets it after this transaction commits.
        claimed =
          how === 'claimPeople'
            ? repo
                .claimPeople({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, people: 10, perPerson: 5 })
                .then((c) => c.rows.map((r) => r.userId!))
            : repo.claim({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, limit: 10 }).then((rows) => rows.map((r) => r.userId!));
        now += 5; // the rest of the burst arrives a few milliseconds later, in the intake's transaction
        await new NotificationsRepo(tx, () => now).insertIn(tx, page(ids[1]));
      });
      expect((await claimed!).sort()).to.deep.equal([...ids].sort());
    });
});
