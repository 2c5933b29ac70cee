/**
 * The attempts of calls that start together are one INSERT: each call gets its own ids in the
 * order of its pages, and more rows than one statement may bind are stored whole or not at all.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../helpers/pg';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';

forEachDb('attempts of calls starting together', (make) => {
  let t: AnyTestDb;
  afterEach(() => t.close());

  async function pages(n: number): Promise<number[]> {
    const user = await new UsersRepo(t.db).create({ email: 'a@example.com', name: 'A', phone: '+15550001111' }, { lang: 'en' });
    const repo = new NotificationsRepo(t.db);
    const ids: number[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (await repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: user.id, email: user.email, message: `m${i}` })).notification
          .id,
      );
    return ids;
  }

  it('are one statement without a transaction, and each call gets the ids of its own pages in order', async () => {
    t = await make();
    const ids = await pages(7);
    const sql: string[] = [];
    t.db.on('query', (q: { sql: string }) => sql.push(q.sql));
    const repo = new NotificationsRepo(t.db);
    const calls = [ids.slice(0, 3), ids.slice(3, 4), ids.slice(4)];
    const started = await Promise.all(
      calls.map((call, c) => repo.startAttempts(call.map((notificationId) => ({ notificationId, channel: 'voice', callId: `call-${c}` })))),
    );
    expect(sql.filter((s) => /insert into .attempts./i.test(s))).to.have.length(1);
    expect(sql.filter((s) => /^(begin|commit)/i.test(s))).to.deep.equal([]);
    const stored = await repo.attemptsFor(ids);
    started.forEach((attemptIds, c) =>
      attemptIds.forEach((id, k) => {
        const a = stored.get(calls[c][k])!;
        expect(a.map((x) => [x.id, x.callId])).to.deep.equal([[id, `call-${c}`]]);
      }),
    );
  });

  it('more rows than one statement binds are written in one transaction: all or none', async () => {
    t = await make();
    const [id] = await pages(1);
    const repo = new NotificationsRepo(t.db);
    const many = Array.from({ length: 1500 }, () => ({ notificationId: id, channel: 'voice' }));
    const ids = await repo.startAttempts(many);
    expect(ids).to.have.length(1500);
    expect(new Set(ids).size).to.equal(1500);
    expect([...ids].sort((a, b) => a - b)).to.deep.equal(ids);
    // A row that breaks the foreign key in the second chunk rolls back the first chunk too.
    const broken = [...many.slice(0, 1200), { notificationId: 999_999, channel: 'voice' }];
    let failed: unknown = null;
    await repo.startAttempts(broken).catch((e: unknown) => (failed = e));
    expect(failed).to.be.instanceOf(Error);
    expect((await repo.attemptsFor([id])).get(id)).to.have.length(1500);
  });
});
