/**
 * Every repository outside the queue, on SQLite and PostgreSQL: booleans come back as
 * booleans, bigints and counts as numbers, unique violations are recognised, upserts agree.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb, makePgTestDb, requirePg, pgTestUrl } from '../../helpers/pg';
import { openDb, Db } from '../../../src/db/knex';
import { migrate, allMigrations } from '../../../src/db/migrations';
import { UsersRepo } from '../../../src/directory/users-repo';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { CloudIntegrationsRepo } from '../../../src/db/cloud-integrations-repo';
import { KvRepo } from '../../../src/db/kv-repo';
import { HeartbeatsRepo } from '../../../src/watchers/heartbeats/repo';
import { HeartbeatService } from '../../../src/watchers/heartbeats/service';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { DbStatusSource } from '../../../src/status/db-source';
import { verifyPin } from '../../../src/directory/pin';

const NOW = 1_700_000_000_000;

forEachDb('repositories', (make) => {
  let t: AnyTestDb;
  beforeEach(async () => {
    t = await make();
  });
  afterEach(() => t.close());

  it('attempts: the trunk and the legs of a dial come back as written', async () => {
    const q = new NotificationsRepo(t.db, () => NOW);
    const n = (await q.enqueue({ kind: 'call', source: 's', userId: null, email: 'x@example.com', message: 'm' })).notification;
    const id = await q.startAttempt({ notificationId: n.id, channel: 'voice', callId: 'c' });
    expect((await q.attemptsFor([n.id])).get(n.id)![0]).to.include({ trunk: null, legs: null });
    const legs = [
      { trunk: 'a', phoneIndex: 0, startedAt: NOW, endedAt: NOW + 300, outcome: 'congestion', cause: 34, sipCode: 503 },
      { trunk: 'b', phoneIndex: 0, startedAt: NOW + 310, endedAt: null, outcome: 'answered', cause: null, sipCode: null },
    ];
    await q.updateAttempt(id, { trunk: 'b', legs });
    const [a] = (await q.attemptsFor([n.id])).get(n.id)!;
    expect(a.trunk).to.equal('b');
    expect(a.legs).to.deep.equal(legs);
  });

  it('users: create, find case-insensitively, booleans and times as the right types', async () => {
    const users = new UsersRepo(t.db, () => NOW);
    const a = await users.create(
      { email: 'Alice@Example.com', name: 'Alice', phone: '+15550001111', pin: '1234', channels: ['voice', 'sms'] },
      { lang: 'ru' },
    );
    expect(a).to.include({ phoneVerified: true, lang: 'ru', hasPin: true, createdAt: NOW, username: 'Alice' });
    const b = await users.create({ email: 'bob@example.com', name: 'Bob' }, { lang: 'en' });
    expect(b.phoneVerified).to.equal(false);
    expect((await users.getByEmail('ALICE@example.COM'))!.id).to.equal(a.id);
    expect((await users.getByPhone('+15550001111'))!.email).to.equal('Alice@Example.com');
    expect(await verifyPin('1234', (await users.secrets(a.id)).pinHash)).to.equal(true);
    const listed = await users.list({ username: 'alice' });
    expect([listed.total, listed.users.map((u) => u.id)]).to.deep.equal([1, [a.id]]);
    expect((await users.list()).total).to.equal(2);
    expect([...(await users.getManyByEmail(['BOB@example.com', 'nobody@x.io'])).keys()]).to.deep.equal(['bob@example.com']);
    const patched = await users.update('alice@example.com', { phone_verified: false, channels: ['sms'] });
    expect([patched.phoneVerified, patched.channels]).to.deep.equal([false, ['sms']]);
    let conflict: unknown;
    await users.create({ email: 'ALICE@example.com', name: 'again' }, { lang: 'en' }).catch((e: unknown) => (conflict = e));
    expect((conflict as { code?: string }).code).to.equal('conflict');
    expect(await users.remove('alice@example.com')).to.equal(true);
    expect(await users.remove('alice@example.com')).to.equal(false);
  });

  it('cloud integrations: created once with their heartbeat, idempotent by name', async () => {
    const repo = new CloudIntegrationsRepo(t.db, () => NOW);
    const first = await repo.createOrGet({ name: 'OnCall engine', type: 'heartbeat', teamId: null });
    const again = await repo.createOrGet({ name: 'OnCall engine', type: 'heartbeat', teamId: null });
    expect([first.created, again.created, again.integration.id]).to.deep.equal([true, false, first.integration.id]);
    expect(first.integration.heartbeatId).to.be.a('number');
    expect(first.integration.createdAt).to.equal(NOW);
    expect(await repo.heartbeatName(first.integration)).to.equal('OnCall engine');
    expect((await repo.findByToken(first.integration.token))!.name).to.equal('OnCall engine');
    const hb = (await new HeartbeatsRepo(t.db).get('OnCall engine'))!;
    expect([hb.enabled, hb.kind, hb.periodS]).to.deep.equal([true, 'oncall', 180]);
  });

  it('heartbeats: insert, duplicate names refused as a conflict, progress and history', async () => {
    const repo = new HeartbeatsRepo(t.db);
    const hb = await repo.insert(
      { name: 'backup', kind: 'opsgenie', periodS: 60, graceS: 30, page: ['a@x.io'], options: { alertMessage: 'm' } },
      NOW,
    );
    expect([hb.enabled, hb.state, hb.createdAt, hb.dueAt, hb.page]).to.deep.equal([true, 'new', NOW, null, ['a@x.io']]);
    let dup: unknown;
    await repo.insert({ name: 'backup', kind: 'opsgenie', periodS: 60, graceS: 30 }, NOW).catch((e: unknown) => (dup = e));
    expect((dup as { code?: string }).code).to.equal('conflict');
    await repo.saveProgress(hb.id, { state: 'up', lastPingAt: NOW + 1, dueAt: NOW + 60_001, stateChangedAt: NOW + 1 }, [
      { at: NOW + 1, event: 'ping', detail: 'x' },
    ]);
    await repo.saveProgress(hb.id, { state: 'paused', lastPingAt: NOW + 1, dueAt: null, stateChangedAt: NOW + 2, enabled: false }, []);
    const after = (await repo.get('backup'))!;
    expect([after.state, after.enabled, after.lastPingAt, after.stateChangedAt]).to.deep.equal(['paused', false, NOW + 1, NOW + 2]);
    await repo.addEvent(hb.id, { at: NOW + 3, event: 'log', detail: 'y'.repeat(600) });
    const events = await repo.events(hb.id);
    expect(events.map((e) => [e.at, e.event, e.detail?.length])).to.deep.equal([
      [NOW + 3, 'log', 500],
      [NOW + 1, 'ping', 1],
    ]);
    await repo.updateConfig(hb.id, { periodS: 120, page: [] });
    expect((await repo.list()).map((h) => [h.name, h.periodS, h.page])).to.deep.equal([['backup', 120, []]]);
    await repo.delete(hb.id);
    expect(await repo.get('backup')).to.equal(null);
  });

  it('kv secrets: the first writer wins; heartbeat pings are stored with their time', async () => {
    const kv = new KvRepo(t.db, () => NOW);
    const [s1, s2] = await Promise.all([kv.secret('link'), new KvRepo(t.db, () => NOW).secret('link')]);
    expect(s1).to.equal(s2);
    expect(await kv.get('link')).to.equal(s1);
    const hbs = new HeartbeatsRepo(t.db);
    const hb = await hbs.insert({ name: 'n', kind: 'oncall', periodS: 1, graceS: 1 }, NOW);
    // The production path of OnCall's heartbeat link: the watcher service records the ping.
    const service = new HeartbeatService({
      repo: hbs,
      clock: new FakeClock(NOW + 7),
      logger: silentLogger(),
      pager: { page: async () => undefined },
    });
    await service.ping('n', 'link GET');
    expect((await hbs.get('n'))!.lastPingAt).to.equal(NOW + 7);
    expect((await hbs.events(hb.id)).filter((e) => e.event === 'ping').map((e) => e.detail)).to.deep.equal(['link GET']);
    await service.stop();
  });

  it('status source: active pages, recent attempts, heartbeats and queue depth', async () => {
    const users = new UsersRepo(t.db, () => NOW);
    const u = await users.create({ email: 'carol@example.com', name: 'Carol', phone: '+15550003333' }, { lang: 'en' });
    const q = new NotificationsRepo(t.db, () => NOW);
    const a = (await q.enqueue({ kind: 'call', source: 's', userId: u.id, email: u.email, message: 'disk full' })).notification;
    const b = (await q.enqueue({ kind: 'call', source: 's', userId: null, email: 'ghost@example.com', message: 'gone' })).notification;
    await q.finish(b.id, null, 'failed', 'no-user', 'x');
    const att = await q.startAttempt({ notificationId: a.id, channel: 'voice', callId: 'c' });
    await q.updateAttempt(att, { outcome: 'no-answer', endedAt: NOW + 30_000 });
    await new HeartbeatsRepo(t.db).insert({ name: 'cron', kind: 'healthchecks', periodS: 60, graceS: 60, enabled: false }, NOW);
    const src = new DbStatusSource({ db: t.db });
    const pages = await src.activePages(10);
    expect(pages).to.deep.equal([
      {
        id: a.id,
        kind: 'call',
        state: 'pending',
        who: 'Carol',
        phone: '+15550003333',
        message: 'disk full',
        alertGroupId: null,
        receivedAt: NOW,
        attempts: 0,
        nextAttemptAt: NOW,
        lastOutcome: 'no-answer',
      },
    ]);
    const recent = await src.recentAttempts(10);
    expect(recent.map((r) => [r.notificationId, r.who, r.startedAt, r.endedAt, r.answeredAt])).to.deep.equal([
      [a.id, 'Carol', NOW, NOW + 30_000, null],
    ]);
    expect(await src.heartbeats()).to.deep.equal([
      { name: 'cron', kind: 'healthchecks', state: 'paused', lastPingAt: null, periodS: 60, graceS: 60, enabled: false },
    ]);
    expect(await src.queueDepth()).to.deep.equal({ pending: 1, failed: 1 });
  });

  it('migrations are all applied, and a second run applies nothing', async () => {
    const rows = (await t.db('dozvon_migrations').select('name').orderBy('id')) as { name: string }[];
    expect(rows.map((r) => r.name)).to.deep.equal(allMigrations().map((m) => m.name));
    expect(await migrate(t.db)).to.deep.equal([]);
    expect(await t.db.schema.hasTable('leases')).to.equal(true);
  });
});

describe('migrations: several instances starting together on one PostgreSQL', function () {
  let t: AnyTestDb;
  const handles: Db[] = [];
  before(async function () {
    await requirePg(this);
  });
  afterEach(async () => {
    for (const d of handles.splice(0)) await d.destroy();
    await t?.close();
  });

  it('take turns: every migration applied once, nobody fails', async () => {
    t = await makePgTestDb();
    const schema = ((await t.db.raw('select current_schema() as s')) as { rows: { s: string }[] }).rows[0].s;
    // An empty schema again: drop what makePgTestDb applied.
    await t.db.raw('drop schema ?? cascade', [schema]);
    await t.db.raw('create schema ??', [schema]);
    for (let i = 0; i < 4; i++) handles.push(openDb({ client: 'pg', connection: pgTestUrl() }, { pgSearchPath: schema, pgPoolMax: 3 }));
    const applied = await Promise.all(handles.map((d) => migrate(d)));
    expect(applied.flat().sort()).to.deep.equal(
      allMigrations()
        .map((m) => m.name)
        .sort(),
    );
  });
});
