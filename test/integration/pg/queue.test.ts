/**
 * The durable queue on both databases: the same assertions on SQLite and PostgreSQL, with
 * the types checked strictly (PostgreSQL returns bigint and count as strings).
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb, makePgTestDb, requirePg, pgTestUrl } from '../../helpers/pg';
import { openDb, Db } from '../../../src/db/knex';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { UsersRepo } from '../../../src/directory/users-repo';

forEachDb('notifications queue', (make, kind) => {
  let t: AnyTestDb;
  let now = 1_700_000_000_000; // a real epoch in ms: beyond int4, so bigint columns matter
  let repo: NotificationsRepo;
  let userId: number;
  let otherId: number;

  beforeEach(async () => {
    t = await make();
    now = 1_700_000_000_000;
    repo = new NotificationsRepo(t.db, () => now);
    const users = new UsersRepo(t.db, () => now);
    userId = (await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' })).id;
    otherId = (await users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222' }, { lang: 'en' })).id;
  });
  afterEach(() => t.close());

  it('enqueues with numeric ids and times, and reads them back the same', async () => {
    const { notification, created } = await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId,
      email: 'alice@example.com',
      message: 'm',
      payload: { a: [1] },
    });
    expect(created).to.equal(true);
    expect(notification.id).to.be.a('number');
    const back = (await repo.get(notification.id))!;
    expect(back).to.deep.equal(notification);
    expect(back.receivedAt).to.equal(now);
    expect(back.payload).to.deep.equal({ a: [1] });
  });

  it('dedupes by key', async () => {
    const a = await repo.enqueue({ kind: 'webhook', source: 'w', userId, email: 'a@x.io', message: 'm', dedupeKey: 'k1' });
    const b = await repo.enqueue({ kind: 'webhook', source: 'w', userId, email: 'a@x.io', message: 'm', dedupeKey: 'k1' });
    expect(b.created).to.equal(false);
    expect(b.notification.id).to.equal(a.notification.id);
    expect((await repo.findByDedupeKey('k1'))!.id).to.equal(a.notification.id);
  });

  it('claims once, and another owner takes the row over only after the lease expired', async () => {
    await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: 'm' });
    const first = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 1000, limit: 10 });
    expect(first.map((n) => [n.leaseOwner, n.leaseExpiresAt])).to.deep.equal([['a', now + 1000]]);
    expect(await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 })).to.have.length(0);
    expect(await repo.renewLease(first[0].id, 'a', 1000)).to.equal(true);
    now += 1001;
    const taken = await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 });
    expect(taken.map((n) => n.leaseOwner)).to.deep.equal(['b']);
    expect(await repo.renewLease(first[0].id, 'a', 1000)).to.equal(false);
    expect(await repo.finish(taken[0].id, 'a', 'delivered', 'digit', 'x')).to.equal(false);
    expect(await repo.finish(taken[0].id, 'b', 'delivered', 'digit', 'pressed 1')).to.equal(true);
    const done = (await repo.get(taken[0].id))!;
    expect([done.state, done.attempts, done.finishedAt, done.leaseOwner]).to.deep.equal(['delivered', 1, now, null]);
  });

  it('skips a person another owner is paging until that lease ends', async () => {
    await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: '1' });
    const [a] = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 1000, limit: 1 });
    await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: '2' });
    const other = (await repo.enqueue({ kind: 'call', source: 's', userId: otherId, email: 'b@x.io', message: '3' })).notification;
    expect((await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 })).map((n) => n.id)).to.deep.equal([other.id]);
    expect(await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 1000, limit: 10, userId })).to.have.length(1); // the holder bundles it
    await repo.enqueue({ kind: 'sms', source: 's', userId, email: 'a@x.io', message: 'sms' });
    expect(await repo.claim({ owner: 'b', kinds: ['sms'], leaseMs: 1000, limit: 10 }), 'other kinds are not held up').to.have.length(1);
    await repo.finish(a.id, 'a', 'delivered', 'digit', '1');
    await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: '4' });
    expect(await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 })).to.have.length(0); // 'a' still holds page 2
    now += 1001; // a's lease on page 2 expired: it died
    expect(await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 1000, limit: 10 })).to.have.length(3); // pages 2 and 4, and b's own expired page 3
  });

  it('after an outage the newest never-tried pages go first, then retries and backlog by due time; fresh lasts 5 minutes', async () => {
    const page = async (message: string) =>
      (await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message })).notification.id;
    const retry = await page('retry');
    await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 60_000, limit: 1 });
    await repo.reschedule(retry, 'a', now + 60_000, 'no answer');
    now += 1_000;
    const old1 = await page('backlog 1');
    const old2 = await page('backlog 2');
    now += 30 * 60_000; // the outage ends
    const new1 = await page('new 1');
    now += 10_000;
    const new2 = await page('new 2');
    const order = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 60_000, limit: 10 });
    expect(order.map((n) => n.id)).to.deep.equal([new2, new1, old1, old2, retry]);
    expect((await repo.claim({ owner: 'b', kinds: ['call'], leaseMs: 60_000, limit: 10 })).length).to.equal(0);
    for (const n of order) await repo.release(n.id, 'a', now);
    now += 6 * 60_000; // five minutes later "new 1" and "new 2" are backlog too, in due order
    const new3 = await page('new 3');
    const again = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 60_000, limit: 10 });
    expect(again.map((n) => n.id)).to.deep.equal([new3, retry, old1, old2, new1, new2]);
  });

  it("a burst's claim takes the person with a fresh incident before the backlog; their call reads the fresh page first, then the rest as they came", async () => {
    const page = async (u: number, message: string) =>
      (await repo.enqueue({ kind: 'call', source: 's', userId: u, email: 'a@x.io', message })).notification.id;
    const old1 = await page(userId, 'alice backlog 1');
    const old2 = await page(userId, 'alice backlog 2');
    const bobOld = await page(otherId, 'bob backlog');
    now += 30 * 60_000; // the outage ends
    const fresh = await page(otherId, 'bob fresh');
    const first = await repo.claimPeople({ owner: 'a', kinds: ['call'], leaseMs: 60_000, people: 1, perPerson: 21 });
    expect(first.rows.map((n) => n.id)).to.deep.equal([fresh, bobOld]);
    const next = await repo.claimPeople({ owner: 'a', kinds: ['call'], leaseMs: 60_000, people: 1, perPerson: 21 });
    expect(next.rows.map((n) => n.id)).to.deep.equal([old1, old2]);
  });

  it('pages that came together (OnCall sending make_calls in the same second) are read in the order they came', async () => {
    const page = async (message: string) =>
      (await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message })).notification.id;
    const first = await page('disk full');
    now += 5; // the other two in the next group commit
    const second = await page('high cpu');
    const third = await page('replication lag');
    const claimed = await repo.claimPeople({ owner: 'a', kinds: ['call'], leaseMs: 60_000, people: 1, perPerson: 21 });
    expect(claimed.rows.map((n) => n.id)).to.deep.equal([first, second, third]);
  });

  it('a claim of new pages only leaves out retries and pages whose instance died', async () => {
    const page = async (message: string) =>
      (await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message })).notification.id;
    const retry = await page('retry');
    await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 60_000, limit: 1 });
    await repo.reschedule(retry, 'a', now, 'no answer');
    const orphaned = await page('orphaned');
    await repo.claim({ owner: 'dead', kinds: ['call'], leaseMs: 1_000, limit: 1, userId, newOnly: true });
    now += 2_000;
    const fresh = await page('fresh');
    const joined = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 60_000, limit: 10, userId, newOnly: true });
    expect(joined.map((n) => n.id)).to.deep.equal([fresh]);
    const rest = await repo.claim({ owner: 'a', kinds: ['call'], leaseMs: 60_000, limit: 10, userId });
    expect(rest.map((n) => n.id).sort((x, y) => x - y)).to.deep.equal([retry, orphaned]);
  });

  it('claims only one person when asked, oldest first', async () => {
    const a1 = (await repo.enqueue({ kind: 'call', source: 's', userId, email: 'a@x.io', message: '1' })).notification;
    now += 1;
    await repo.enqueue({ kind: 'call', source: 's', userId: otherId, email: 'b@x.io', message: '2' });
    now += 1;
    const a3 = (await repo.enqueue({ kind: 'webhook', source: 's', userId, email: 'a@x.io', message: '3' })).notification;
    const mine = await repo.claim({ owner: 'o', kinds: ['call', 'webhook'], leaseMs: 1000, limit: 10, userId });
    expect(mine.map((n) => n.id)).to.deep.equal([a1.id, a3.id]);
  });

  it('reschedules with attempts counted and reports the next due time as a number', async () => {
    const { notification } = await repo.enqueue({ kind: 'sms', source: 's', userId, email: 'a@x.io', message: 'm' });
    const [c] = await repo.claim({ owner: 'a', kinds: ['sms'], leaseMs: 1000, limit: 10 });
    expect(await repo.reschedule(c.id, 'a', now + 60_000, 'busy')).to.equal(true);
    expect(await repo.claim({ owner: 'a', kinds: ['sms'], leaseMs: 1000, limit: 10 })).to.have.length(0);
    expect(await repo.nextDueAt(['sms'])).to.equal(now + 60_000);
    expect(await repo.nextDueAt(['call'])).to.equal(null);
    now += 60_000;
    const again = await repo.claim({ owner: 'a', kinds: ['sms'], leaseMs: 1000, limit: 10 });
    expect(again.map((n) => [n.id, n.attempts, n.reason])).to.deep.equal([[notification.id, 1, 'busy']]);
    await repo.release(again[0].id, 'a', now + 5);
    expect((await repo.get(notification.id))!.state).to.equal('pending');
  });

  it('counts as numbers, per user and kind', async () => {
    for (const k of ['call', 'call', 'sms'] as const) await repo.enqueue({ kind: k, source: 's', userId, email: 'a@x.io', message: 'm' });
    await repo.enqueue({ kind: 'call', source: 's', userId: otherId, email: 'b@x.io', message: 'm' });
    const counts = await repo.countsSince(t.db, [userId, otherId], now - 1);
    expect(Object.fromEntries(counts)).to.deep.equal({ [`${userId}:call`]: 2, [`${userId}:sms`]: 1, [`${otherId}:call`]: 1 });
    expect(await repo.countSince(t.db, userId, 'call', now - 1)).to.equal(2);
    expect(await repo.countSince(t.db, userId, 'call', now + 1)).to.equal(0);
    expect(await repo.countByState()).to.deep.equal({ pending: 4 });
    expect((await repo.listRecent(2)).map((n) => n.userId)).to.deep.equal([otherId, userId]);
    expect(await repo.listRecent(10, { kind: 'sms' })).to.have.length(1);
  });

  it('records attempts, closes interrupted ones, and finds sends by channel prefix', async () => {
    const { notification } = await repo.enqueue({ kind: 'sms', source: 's', userId, email: 'a@x.io', message: 'm' });
    const id = await repo.startAttempt({ notificationId: notification.id, channel: 'sms:http', instance: 'i1', callId: 'c1' });
    expect(id).to.be.a('number');
    await repo.updateAttempt(id, { outcome: 'sent', endedAt: now + 5 });
    const open = await repo.startAttempt({ notificationId: notification.id, channel: 'voice', callId: 'c2' });
    // Claiming the page again (its instance died) closes the attempt left open, in the claim's transaction.
    const claimed = await repo.claimPeople({ owner: 'i2', kinds: ['sms'], leaseMs: 1000, people: 1, perPerson: 21 });
    expect([...claimed.interrupted]).to.deep.equal([notification.id]);
    const list = (await repo.attemptsFor([notification.id])).get(notification.id)!;
    expect(list.map((a) => [a.id, a.outcome, a.startedAt])).to.deep.equal([
      [id, 'sent', now],
      [open, 'interrupted', now],
    ]);
    expect(await repo.sendTimes('sms:', now - 1)).to.deep.equal([now]);
    expect(await repo.sendTimes('sms:', now - 1, otherId)).to.deep.equal([]);
    expect(await repo.sendTimes('push:', now - 1)).to.deep.equal([]);
  });

  it(`hands each row to exactly one of several concurrent claimers (${kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : 'one writer'})`, async () => {
    for (let i = 0; i < 40; i++)
      await repo.enqueue({ kind: 'call', source: 's', userId: i % 2 ? userId : otherId, email: 'a@x.io', message: `m${i}` });
    // On PostgreSQL each claimer's transaction runs on its own pooled connection, truly side by side.
    const claimed: number[][] = [[], [], [], []];
    await Promise.all(
      claimed.map(async (mine, k) => {
        const r = new NotificationsRepo(t.db, () => now);
        // An empty claim is no proof the queue is empty: on PostgreSQL a claimer skips a person
        // whose row another claimer holds locked at that moment, as an engine does until its
        // next sweep. So claimers go on until nothing is pending (bounded, in case of a bug).
        for (let round = 0; round < 200; round++) {
          const got = await r.claim({ owner: `o${k}`, kinds: ['call'], leaseMs: 60_000, limit: 3 });
          mine.push(...got.map((n) => n.id));
          if (got.length === 0 && !(await r.countByState()).pending) return;
        }
      }),
    );
    const all = claimed.flat();
    expect(all).to.have.length(40);
    expect(new Set(all).size).to.equal(40);
  });
});

forEachDb('notifications queue: a burst claimed at once', (make) => {
  let t: AnyTestDb;
  const now = 1_700_000_000_000;
  let repo: NotificationsRepo;
  let people: number[];
  const claim = (owner: string, more: Partial<Parameters<NotificationsRepo['claimPeople']>[0]> = {}) =>
    repo.claimPeople({ owner, kinds: ['call'], leaseMs: 60_000, people: 50, perPerson: 21, ...more });

  beforeEach(async () => {
    t = await make();
    repo = new NotificationsRepo(t.db, () => now);
    const users = new UsersRepo(t.db, () => now);
    people = [];
    for (let p = 0; p < 20; p++)
      people.push((await users.create({ email: `p${p}@example.com`, name: `P${p}`, phone: `+1555000${1000 + p}` }, { lang: 'en' })).id);
    // Twenty people paged together, the first of them three times.
    for (const u of [people[0], people[0], ...people])
      await repo.enqueue({ kind: 'call', source: 's', userId: u, email: 'a@example.com', message: `m${u}` });
  });
  afterEach(() => t.close());

  it("claims every person's pages in one go, each page once", async () => {
    const { rows } = await claim('i1');
    expect(rows).to.have.length(22);
    expect(new Set(rows.map((r) => r.userId)).size).to.equal(20);
    expect(rows.every((r) => r.state === 'active' && r.leaseOwner === 'i1')).to.equal(true);
    expect((await claim('i2')).rows).to.deep.equal([]);
  });

  it('reads the queue once when every due page fits in its window (SQLite; PostgreSQL reads again to lock the rows)', async () => {
    const selects: string[] = [];
    t.db.on('query', (q: { sql: string }) => /^select .* from .notifications./i.test(q.sql) && selects.push(q.sql));
    const { rows } = await claim('i1');
    expect(rows).to.have.length(22);
    expect(rows.slice(0, 3).map((r) => r.userId)).to.deep.equal([people[0], people[0], people[0]]);
    if (t.kind === 'sqlite') expect(selects).to.have.length(1);
    else expect(selects.some((s) => /for update skip locked/i.test(s))).to.equal(true);
  });

  it('stops at the number of people asked for, and at the pages one call takes, in queue order', async () => {
    const { rows } = await claim('i1', { people: 3, perPerson: 2 });
    expect(rows.map((r) => r.userId)).to.deep.equal([people[0], people[0], people[1], people[2]]);
    expect((await repo.countByState()).active).to.equal(4);
  });

  it('leaves out the people the instance is on the phone with, and those another instance is paging', async () => {
    await claim('other', { people: 1 });
    const { rows } = await claim('i1', { excludeUserIds: [people[1]] });
    const got = new Set(rows.map((r) => r.userId));
    expect(got.has(people[0])).to.equal(false);
    expect(got.has(people[1])).to.equal(false);
    expect(got.size).to.equal(18);
  });

  it('says beforehand, without claiming, whether a claim would find anything: the same people and pages as the claim', async () => {
    const probe = (owner: string, more: { excludeUserIds?: number[] } = {}) => repo.anyClaimable({ owner, kinds: ['call'], ...more });
    expect(await probe('i1')).to.equal(true);
    expect((await repo.countByState()).active ?? 0, 'the question claims nothing').to.equal(0);
    expect(await probe('i1', { excludeUserIds: people }), 'everyone is on the phone with this instance').to.equal(false);
    expect(await probe('i1', { excludeUserIds: people.slice(1) })).to.equal(true);
    await claim('other', { people: 1 });
    expect(await probe('i1', { excludeUserIds: people.slice(1) }), "the one left is another instance's").to.equal(false);
    expect(await repo.anyClaimable({ owner: 'i1', kinds: ['webhook'] }), 'no page of that kind').to.equal(false);
    await claim('i1');
    expect(await probe('i1'), 'all claimed').to.equal(false);
  });

  it("claimers side by side never share a person's pages", async () => {
    const owners = ['a', 'b', 'c', 'd'];
    const got = await Promise.all(owners.map((o) => claim(o, { people: 3 })));
    const byPerson = new Map<number, Set<string>>();
    got.forEach((g, k) => g.rows.forEach((r) => byPerson.set(r.userId!, (byPerson.get(r.userId!) ?? new Set()).add(owners[k]))));
    expect([...byPerson.values()].every((o) => o.size === 1)).to.equal(true);
    expect(new Set(got.flatMap((g) => g.rows.map((r) => r.id))).size).to.equal(got.reduce((n, g) => n + g.rows.length, 0));
  });
});

describe('notifications queue: separate instances on one PostgreSQL', function () {
  let t: AnyTestDb;
  let others: Db[] = [];
  before(async function () {
    await requirePg(this);
  });
  beforeEach(async () => {
    t = await makePgTestDb();
    others = [];
  });
  afterEach(async () => {
    for (const d of others) await d.destroy();
    await t.close();
  });

  it('never hands one row to two pools claiming at the same moment', async () => {
    const schema = ((await t.db.raw('select current_schema() as s')) as { rows: { s: string }[] }).rows[0].s;
    for (let i = 0; i < 3; i++) others.push(openDb({ client: 'pg', connection: pgTestUrl() }, { pgSearchPath: schema, pgPoolMax: 4 }));
    const now = 1_700_000_000_000;
    const users = new UsersRepo(t.db, () => now);
    const people: number[] = [];
    for (let p = 0; p < 40; p++)
      people.push((await users.create({ email: `p${p}@example.com`, name: `P${p}`, phone: `+1555000${1000 + p}` }, { lang: 'en' })).id);
    const repo = new NotificationsRepo(t.db, () => now);
    for (let i = 0; i < 200; i++)
      await repo.enqueue({ kind: 'call', source: 's', userId: people[i % 40], email: 'a@example.com', message: `m${i}` });
    const results = await Promise.all(
      [t.db, ...others].flatMap((db, k) =>
        [0, 1, 2].map(async (w) => {
          const r = new NotificationsRepo(db, () => now);
          const mine: number[] = [];
          for (;;) {
            const got = await r.claim({ owner: `i${k}w${w}`, kinds: ['call'], leaseMs: 60_000, limit: 2 });
            mine.push(...got.map((n) => n.id));
            // Empty can mean "your people are held by others" or "locked right now": stop only when nothing is left.
            if (got.length === 0 && (await r.countByState()).pending === undefined) return mine;
          }
        }),
      ),
    );
    const all = results.flat();
    expect(all).to.have.length(200);
    expect(new Set(all).size).to.equal(200);
    // Every instance got a share: the claims really ran side by side.
    expect(results.filter((r) => r.length > 0).length).to.be.greaterThan(3);
    const owners = (await t.db('notifications').countDistinct({ n: 'lease_owner' }))[0] as { n: string | number };
    expect(Number(owners.n)).to.be.greaterThan(3);
    // One phone is never rung by two instances: each person's pages went to one owner only.
    const perPerson = (await t.db('notifications').groupBy('user_id').select('user_id').countDistinct({ n: 'lease_owner' })) as {
      n: string | number;
    }[];
    expect(perPerson.map((r) => Number(r.n))).to.deep.equal(people.map(() => 1));
  });
});
