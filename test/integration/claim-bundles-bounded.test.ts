/**
 * A claim reads, of each chosen person's due pages, only those their call can read: the lead,
 * its companions (pages that came within 2 s before it) and the oldest others, `perPerson` at
 * most of each. It used to read every due page of the person: 620 ms holding the writer for a
 * backlog of 23 562 to keep five. The pages a call gets must be the same as before.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../helpers/pg';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { FRESH_MS } from '../../src/db/notifications/queue';

forEachDb('a claim over a backlog reads only what the calls can read', (make) => {
  let t: AnyTestDb;
  let now: number;
  let repo: NotificationsRepo;
  let alice: number;
  let bob: number;
  beforeEach(async () => {
    t = await make();
    now = 1_700_000_000_000;
    repo = new NotificationsRepo(t.db, () => now);
    const users = new UsersRepo(t.db, () => now);
    alice = (await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' })).id;
    bob = (await users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222' }, { lang: 'en' })).id;
  });
  afterEach(() => t.close());

  const pages = (userId: number, n: number, message: string) =>
    repo.insertManyIn(
      t.db as never,
      Array.from({ length: n }, (_, i) => ({
        kind: 'call' as const,
        source: 'oncall-cloud',
        userId,
        email: 'x@example.com',
        message: `${message} ${i}`,
      })),
    );

  /** The most rows any statement of `run` brought back. */
  async function widestRead(run: () => Promise<unknown>): Promise<number> {
    let most = 0;
    const seen = (resp: unknown) => {
      const rows = Array.isArray(resp) ? resp : ((resp as { rows?: unknown[] } | null)?.rows ?? []);
      most = Math.max(most, rows.length);
    };
    t.db.on('query-response', seen);
    try {
      await run();
    } finally {
      t.db.removeListener('query-response', seen);
    }
    return most;
  }

  it("each person's call gets the pages it got before, from a read of a few rows instead of the backlog", async () => {
    // Bob: a backlog only, due first. Alice: a backlog, then three fresh pages in one second (the last is her lead).
    await pages(bob, 400, 'old bob');
    await pages(alice, 300, 'old alice');
    now += FRESH_MS + 60_000;
    const fresh: number[] = [];
    for (let i = 0; i < 3; i++) {
      fresh.push((await pages(alice, 1, `fresh ${i}`))[0].id);
      now += 300;
    }
    let claimed: { id: number; userId: number | null; message: string }[] = [];
    const widest = await widestRead(async () => {
      claimed = (await repo.claimPeople({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, people: 2, perPerson: 5 })).rows;
    });
    const of = (u: number) => claimed.filter((r) => r.userId === u).map((r) => r.message);
    // The companions in the order they came, the lead, then the oldest of the backlog.
    expect(of(alice)).to.deep.equal(['fresh 0 0', 'fresh 1 0', 'fresh 2 0', 'old alice 0', 'old alice 1']);
    expect(of(bob)).to.deep.equal(['old bob 0', 'old bob 1', 'old bob 2', 'old bob 3', 'old bob 4']);
    expect(claimed[0].id).to.equal(fresh[0]);
    // Before: every due page of both (703 rows) to keep ten.
    expect(widest).to.be.at.most(2 * (2 * 5 + 1));
    const active = (await t.db('notifications').where({ state: 'active' }).count({ n: '*' })) as { n: number | string }[];
    expect(Number(active[0].n)).to.equal(10);
  });

  it('a fresh lead, last by due time behind a backlog, is read first, then the oldest', async () => {
    await pages(alice, 50, 'old');
    now += FRESH_MS + 60_000;
    await pages(alice, 1, 'fresh');
    const claimed = (await repo.claimPeople({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, people: 1, perPerson: 3 })).rows;
    expect(claimed.map((r) => r.message)).to.deep.equal(['fresh 0', 'old 0', 'old 1']);
  });
});
