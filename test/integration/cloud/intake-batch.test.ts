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
import { openReadDb, Db } from '../../../src/db/knex';
import { makeTestDb, TestDb } from '../../helpers/db';

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
    // Submitted in one tick: all eight share one batch.
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

describe('page intake on SQLite: the writer holds a batch for one statement', () => {
  let t: TestDb;
  let reads: Db;
  beforeEach(async () => {
    t = await makeTestDb();
    reads = openReadDb({ client: 'sqlite', filename: t.file }, t.db);
  });
  afterEach(async () => {
    await reads.destroy();
    await t.close();
  });

  it('reads the people and the daily counts beside the writer, and stores the batch with one INSERT', async () => {
    const users = new UsersRepo(t.db);
    for (const name of ['ann', 'bob']) {
      const u = await users.create({ email: `${name}@example.com`, name, phone: '+15550001111' }, { lang: 'en' });
      await users.setPhoneVerified(u.id, '+15550001111', true);
    }
    const onWriter: string[] = [];
    const onReaders: string[] = [];
    t.db.on('query', (q: { sql: string }) => onWriter.push(q.sql));
    reads.on('query', (q: { sql: string }) => onReaders.push(q.sql));
    const intake = new PageIntake(t.db, users, new NotificationsRepo(t.db), { dailyCalls: 1, dailySms: 0 }, Date.now, null, {
      db: reads,
      users: new UsersRepo(reads),
    });
    const req = (email: string): PageRequest => ({ kind: 'call', email, message: 'disk full', source: 'oncall-cloud' });
    const first = await Promise.all([intake.accept(req('ann@example.com')), intake.accept(req('bob@example.com'))]);
    expect(first.map((o) => o.status)).to.deep.equal(['accepted', 'accepted']);
    expect(onWriter).to.have.length(1);
    expect(onWriter[0]).to.match(/^insert into .notifications./i);
    expect(onReaders.some((s) => /from .users./i.test(s))).to.equal(true);
    expect(
      onReaders.some((s) => /from .notifications./i.test(s)),
      'the daily counts',
    ).to.equal(true);
    // The next batch's counts see the previous batch's commit: ann's second call page is over her limit of one.
    const second = await intake.accept(req('ann@example.com'));
    expect(second.status).to.equal('limit-exceeded');
  });
});
