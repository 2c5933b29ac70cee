/**
 * A burst's pages are prepared together, and each writes what it was correlated to: the writes
 * that arrive together share one transaction (one commit on SQLite's single writer, not one per
 * page), each caller still hears when its own row is on disk, and every row gets its own value.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../helpers/pg';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';

forEachDb('correlation writes of a burst', (make) => {
  let t: AnyTestDb;
  afterEach(() => t.close());

  it('share one transaction and give each page its own alert group', async () => {
    t = await make();
    const user = await new UsersRepo(t.db).create({ email: 'a@example.com', name: 'A', phone: '+15550001111' }, { lang: 'en' });
    const setup = new NotificationsRepo(t.db);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        (await setup.enqueue({ kind: 'call', source: 'oncall-cloud', userId: user.id, email: user.email, message: `m${i}` })).notification
          .id,
      );

    let transactions = 0;
    t.db.on('query', (q: { sql: string }) => /^begin/i.test(q.sql) && transactions++);
    const repo = new NotificationsRepo(t.db);
    await Promise.all(ids.map((id, i) => repo.setCorrelation(id, `AG${i}`, 'exact')));
    // Written in the same turn of the event loop: all six share one transaction.
    expect(transactions).to.equal(1);
    for (const [i, id] of ids.entries()) {
      const n = await repo.get(id);
      expect([n?.alertGroupId, n?.correlation]).to.deep.equal([`AG${i}`, 'exact']);
    }
  });
});
