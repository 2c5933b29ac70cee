/** NotificationsRepo.search, the console's page search, on SQLite and PostgreSQL alike. */
import { expect } from 'chai';
import { forEachDb, type AnyTestDb } from '../../helpers/pg';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { UsersRepo } from '../../../src/directory/users-repo';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const H = 3600_000;

forEachDb('console page search', (make, kind) => {
  let tdb: AnyTestDb;
  let repo: NotificationsRepo;
  const ids: Record<string, number> = {};

  before(async () => {
    tdb = await make();
    let at = NOW;
    const users = new UsersRepo(tdb.db, () => at);
    repo = new NotificationsRepo(tdb.db, () => at);
    const alice = await users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+79161234567' }, { lang: 'en' });
    const ivan = await users.create({ email: 'ivan@example.ru', name: 'Иван Петров', phone: '+79031112233' }, { lang: 'ru' });
    const add = async (key: string, hoursAgo: number, input: Parameters<NotificationsRepo['enqueue']>[0]) => {
      at = NOW - hoursAgo * H;
      ids[key] = (await repo.enqueue(input)).notification.id;
    };
    await add('old', 100, {
      kind: 'call',
      source: 'oncall-cloud',
      userId: ivan.id,
      email: ivan.email,
      message: 'ДИСК переполнен: 100% на db_1',
    });
    await add('call', 5, {
      kind: 'call',
      source: 'oncall-cloud',
      userId: alice.id,
      email: alice.email,
      message: 'Disk full on web1',
      alertGroupId: 'IG1',
    });
    await add('sms', 4, {
      kind: 'sms',
      source: 'oncall-cloud',
      userId: alice.id,
      email: alice.email,
      message: 'Disk full on web1 (sms)',
      alertGroupId: 'IG1',
    });
    await add('beat', 1, {
      kind: 'call',
      source: 'heartbeat',
      userId: null,
      email: 'carol@example.com',
      message: 'Heartbeat backup_db is down',
    });
    await repo.finish(ids.call, null, 'delivered', 'digit', 'pressed 1');
  });
  after(() => tdb?.close());

  const find = async (f: Omit<Parameters<NotificationsRepo['search']>[0], 'limit'>, limit = 50) =>
    (await repo.search({ ...f, limit })).map((n) => n.id);

  it("person: the page's email or the person's name or email, any case", async () => {
    expect(await find({ person: 'ALICE' })).to.deep.equal([ids.sms, ids.call]);
    expect(await find({ person: 'smith' })).to.deep.equal([ids.sms, ids.call]);
    expect(await find({ person: 'иван' })).to.deep.equal([ids.old]);
    expect(await find({ person: 'ПЕТРОВ' })).to.deep.equal([ids.old]);
    expect(await find({ person: 'carol@' })).to.deep.equal([ids.beat]);
  });

  it('message text with % and _ literal, Cyrillic in any case', async () => {
    expect(await find({ text: '100%' })).to.deep.equal([ids.old]);
    expect(await find({ text: '%' })).to.deep.equal([ids.old]);
    expect(await find({ text: 'p_d' })).to.deep.equal([ids.beat]);
    expect(await find({ text: 'b_1' })).to.deep.equal([ids.old]);
    expect(await find({ text: 'диск' })).to.deep.equal([ids.old]);
    expect(await find({ text: 'disk FULL' })).to.deep.equal([ids.sms, ids.call]);
  });

  it('state, kind, alert group, time range, paging and leaving one out', async () => {
    expect(await find({ state: 'delivered' })).to.deep.equal([ids.call]);
    expect(await find({ kind: 'sms' })).to.deep.equal([ids.sms]);
    expect(await find({ alertGroupId: 'IG1', excludeId: ids.sms })).to.deep.equal([ids.call]);
    expect(await find({ receivedFrom: NOW - 4.5 * H, receivedBefore: NOW - 2 * H })).to.deep.equal([ids.sms]);
    expect(await find({}, 2)).to.deep.equal([ids.beat, ids.sms]);
    expect(await find({ beforeId: ids.sms }, 2)).to.deep.equal([ids.call, ids.old]);
  });

  it('looks pages up by alert group through its index, not by scanning every page', async () => {
    if (kind === 'sqlite') {
      const plan = (await tdb.db.raw(
        'EXPLAIN QUERY PLAN SELECT notifications.* FROM notifications WHERE notifications.alert_group_id = ? ORDER BY notifications.id DESC LIMIT 50',
        ['IG1'],
      )) as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' | ')).to.match(/USING (COVERING )?INDEX notifications_alert_group/);
    } else {
      const r = (await tdb.db.raw(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'notifications' AND indexname = 'notifications_alert_group'",
      )) as { rows: { indexdef: string }[] };
      expect(r.rows.map((x) => x.indexdef).join()).to.match(/\(alert_group_id, id\)/);
    }
  });
});
