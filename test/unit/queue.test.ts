import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';

describe('notifications queue (SQLite)', () => {
  let t: TestDb;
  let now = 1_000_000;
  let repo: NotificationsRepo;
  let userId: number;

  beforeEach(async () => {
    t = await makeTestDb();
    now = 1_000_000;
    repo = new NotificationsRepo(t.db, () => now);
    const users = new UsersRepo(t.db, () => now);
    userId = (await users.create({ email: 'Alice@Example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' })).id;
  });
  afterEach(() => t.close());

  it('stores a pending row that is due at once', async () => {
    const { notification, created } = await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId,
      email: 'alice@example.com',
      message: 'm',
    });
    expect(created).to.equal(true);
    expect(notification.state).to.equal('pending');
    expect(notification.nextAttemptAt).to.equal(now);
  });

  it('claims a row once and lets another owner take it after the lease expires', async () => {
    await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: 'm' });
    const first = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 1000, limit: 10 });
    expect(first).to.have.length(1);
    expect(await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 })).to.have.length(0);
    now += 1001;
    const taken = await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 });
    expect(taken.map((n) => n.leaseOwner)).to.deep.equal(['b']);
    // The old owner can no longer finish it.
    expect(await repo.finish(taken[0].id, 'a', 'delivered', 'digit', 'x')).to.equal(false);
    expect(await repo.finish(taken[0].id, 'b', 'delivered', 'digit', 'pressed 1')).to.equal(true);
    expect((await repo.get(taken[0].id))!.state).to.equal('delivered');
  });

  it('does not claim other kinds or rows not yet due', async () => {
    const { notification } = await repo.enqueue({ kind: 'sms', source: 's', userId, email: 'a@x.io', message: 'm' });
    expect(await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 1000, limit: 10 })).to.have.length(0);
    const [c] = await repo.claim({ owner: 'a', kinds: ['sms'], leaseMs: 1000, limit: 10 });
    expect(await repo.reschedule(c.id, 'a', now + 60_000, 'busy')).to.equal(true);
    expect(await repo.claim({ owner: 'a', kinds: ['sms'], leaseMs: 1000, limit: 10 })).to.have.length(0);
    expect(await repo.nextDueAt(['sms'])).to.equal(now + 60_000);
    now += 60_000;
    const again = await repo.claim({ owner: 'a', kinds: ['sms'], leaseMs: 1000, limit: 10 });
    expect(again.map((n) => [n.id, n.attempts])).to.deep.equal([[notification.id, 1]]);
  });

  it('a dedupe key stores the row once', async () => {
    const a = await repo.enqueue({ kind: 'webhook', source: 'w', userId, email: 'a@x.io', message: 'm', dedupeKey: 'k1' });
    const b = await repo.enqueue({ kind: 'webhook', source: 'w', userId, email: 'a@x.io', message: 'm', dedupeKey: 'k1' });
    expect(b.created).to.equal(false);
    expect(b.notification.id).to.equal(a.notification.id);
  });

  it('records attempts with their fields', async () => {
    const { notification } = await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: 'm' });
    const id = await repo.startAttempt({ notificationId: notification.id, channel: 'voice', callId: 'c1' });
    await repo.updateAttempt(id, {
      answeredAt: now + 5,
      digits: '1',
      action: 'acknowledge',
      result: 'Acknowledged.',
      outcome: 'answered',
      cause: '16',
    });
    const m = await repo.attemptsFor([notification.id]);
    expect(m.get(notification.id)![0]).to.include({ digits: '1', action: 'acknowledge', callId: 'c1', cause: '16' });
  });
});
