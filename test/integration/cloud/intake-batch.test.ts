/**
 * One group commit holds pages of every outcome: each caller hears its own outcome, the accepted
 * rows are stored with one insert and each caller gets its own row back (ids line up with the
 * requests, whatever order RETURNING gives them in), and the daily limit counts within the batch.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { PageIntake, PageOutcome, PageRequest } from '../../../src/cloud/intake';
import { UsersRepo } from '../../../src/directory/users-repo';
import { NotificationsRepo } from '../../../src/db/notifications-repo';

forEachDb('page intake: one batch, many outcomes', (make) => {
  let t: AnyTestDb;
  let users: UsersRepo;
  let repo: NotificationsRepo;
  beforeEach(async () => {
    t = await make();
    users = new UsersRepo(t.db);
    repo = new NotificationsRepo(t.db);
    for (const name of ['ann', 'bob', 'cat']) {
      const u = await users.create({ email: `${name}@example.com`, name, phone: '+15550001111' }, { lang: 'en' });
      await users.setPhoneVerified(u.id, '+15550001111', name !== 'cat');
    }
  });
  afterEach(() => t.close());

  it('answers each request with its own outcome and its own stored row', async () => {
    const intake = new PageIntake(t.db, users, repo, { dailyCalls: 2, dailySms: 0 }, Date.now);
    const req = (email: string, message: string, kind: 'call' | 'sms' = 'call'): PageRequest => ({
      kind,
      email,
      message,
      source: 'oncall-cloud',
    });
    // Submitted in one tick: the first flushes alone, the other seven share the next transaction.
    const outcomes: PageOutcome[] = await Promise.all([
      intake.accept(req('ann@example.com', 'a1')),
      intake.accept(req('bob@example.com', 'b1')),
      intake.accept(req('nobody@example.com', 'n1')),
      intake.accept(req('ann@example.com', 'a2')),
      intake.accept(req('cat@example.com', 'c1')),
      intake.accept(req('ann@example.com', 'a3')),
      intake.accept(req('bob@example.com', 'b2', 'sms')),
      intake.accept(req('bob@example.com', 'b3')),
    ]);
    expect(outcomes.map((o) => o.status)).to.deep.equal([
      'accepted',
      'accepted',
      'user-not-found',
      'accepted',
      'number-not-verified',
      'limit-exceeded', // ann's third call page in 24 h, counted inside the batch
      'accepted',
      'accepted',
    ]);
    const accepted = outcomes.flatMap((o) => (o.status === 'accepted' ? [o.notification] : []));
    expect(accepted.map((n) => [n.email, n.message, n.kind])).to.deep.equal([
      ['ann@example.com', 'a1', 'call'],
      ['bob@example.com', 'b1', 'call'],
      ['ann@example.com', 'a2', 'call'],
      ['bob@example.com', 'b2', 'sms'],
      ['bob@example.com', 'b3', 'call'],
    ]);
    for (const n of accepted) {
      const stored = await repo.get(n.id);
      expect([stored?.email, stored?.message, stored?.kind]).to.deep.equal([n.email, n.message, n.kind]);
    }
    expect(
      await t
        .db('notifications')
        .count({ n: '*' })
        .then((r) => Number((r[0] as { n: number | string }).n)),
    ).to.equal(5);
  });
});
