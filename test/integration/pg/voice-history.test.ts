/** The voice limits' view of the attempts table, the same on SQLite and PostgreSQL. */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { UsersRepo } from '../../../src/directory/users-repo';
import { NotificationsRepo } from '../../../src/db/notifications-repo';

forEachDb('voice history', (make) => {
  let t: AnyTestDb;
  let now = 1_700_000_000_000;
  beforeEach(async () => {
    t = await make();
  });
  afterEach(() => t.close());

  it("lists a person's voice attempts with their alert group and marks each page's first one (its admission)", async () => {
    const users = new UsersRepo(t.db, () => now);
    const repo = new NotificationsRepo(t.db, () => now);
    const alice = await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    const bob = await users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222' }, { lang: 'en' });
    const a = (
      await repo.enqueue({ kind: 'call', source: 't', userId: alice.id, email: alice.email, message: 'a', alertGroupId: 'IAAAAAAAAAAAA' })
    ).notification;
    const b = (await repo.enqueue({ kind: 'call', source: 't', userId: alice.id, email: alice.email, message: 'b' })).notification;
    const other = (await repo.enqueue({ kind: 'call', source: 't', userId: bob.id, email: bob.email, message: 'c' })).notification;
    const attempt = async (n: number, callId: string, outcome: string, channel = 'voice') => {
      const id = await repo.startAttempt({ notificationId: n, channel, callId });
      await repo.updateAttempt(id, { endedAt: now, outcome });
      now += 1000;
    };
    await attempt(a.id, 'old', 'busy'); // before the window
    const since = now;
    await attempt(a.id, 'c1', 'no-answer');
    await attempt(b.id, 'c1', 'no-answer');
    await attempt(b.id, 'c2', 'answered');
    await attempt(other.id, 'c3', 'answered');
    await attempt(b.id, 'sms-1', 'sent', 'sms:gw');
    const h = await repo.voiceHistory(alice.id, since);
    expect(h.sort((x, y) => x.startedAt - y.startedAt)).to.deep.equal([
      { callId: 'c1', startedAt: since, outcome: 'no-answer', alertGroupId: 'IAAAAAAAAAAAA', first: false },
      { callId: 'c1', startedAt: since + 1000, outcome: 'no-answer', alertGroupId: null, first: true },
      { callId: 'c2', startedAt: since + 2000, outcome: 'answered', alertGroupId: null, first: false },
    ]);
  });
});
