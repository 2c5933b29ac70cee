/**
 * The retention sweep against real databases (SQLite and PostgreSQL): what goes, what stays,
 * in how many statements.
 */
import { expect } from 'chai';
import { forEachDb, AnyTestDb } from '../helpers/pg';
import type { Db } from '../../src/db/knex';
import { silentLogger } from '../../src/core/log';
import { RetentionSweeper, retentionSectionSchema, type RetentionSection } from '../../src/retention';
import { HotlineMessagesRepo } from '../../src/hotline/messages-repo';
import { FakeClock } from '../fakes/clock';

const DAY = 86_400_000;

function sweeper(db: Db, clock: FakeClock, config: Partial<RetentionSection> = {}, batchSize?: number): RetentionSweeper {
  return new RetentionSweeper({ db, clock, logger: silentLogger(), config: retentionSectionSchema.parse(config), batchSize });
}

let seq = 0;

async function addNotification(db: Db, state: string, receivedAt: number, finishedAt: number | null, attempts = 2): Promise<number> {
  const [row] = await db('notifications')
    .insert({
      kind: 'call',
      source: 'test',
      user_id: null,
      email: 'a@example.com',
      message: `page ${++seq}`,
      received_at: receivedAt,
      state,
      attempts: 0,
      next_attempt_at: receivedAt,
      lease_owner: state === 'active' ? 'dozvon-x' : null,
      lease_expires_at: state === 'active' ? receivedAt + 60_000 : null,
      finished_at: finishedAt,
      updated_at: finishedAt ?? receivedAt,
    })
    .returning('id');
  const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
  for (let i = 0; i < attempts; i++) await db('attempts').insert({ notification_id: id, channel: 'voice', started_at: receivedAt + i });
  return id;
}

async function ids(db: Db, table: string): Promise<number[]> {
  return ((await db(table).orderBy('id').pluck('id')) as (number | string)[]).map(Number);
}

async function count(db: Db, table: string): Promise<number> {
  const [r] = (await db(table).count({ n: '*' })) as { n: number | string }[];
  return Number(r.n);
}

async function addHeartbeat(db: Db, now: number): Promise<number> {
  const [row] = await db('heartbeats')
    .insert({
      name: `hb-${++seq}`,
      kind: 'oncall',
      period_s: 60,
      grace_s: 60,
      enabled: true,
      page: '[]',
      state: 'up',
      state_changed_at: now,
      created_at: now,
    })
    .returning('id');
  return typeof row === 'object' ? (row as { id: number }).id : (row as number);
}

async function addUser(db: Db, now: number): Promise<number> {
  const n = ++seq;
  const [row] = await db('users')
    .insert({
      public_id: `U${n}`,
      email: `u${n}@example.com`,
      email_key: `u${n}@example.com`,
      name: 'U',
      username: `u${n}`,
      channels: '[]',
      contacts: '{}',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return typeof row === 'object' ? (row as { id: number }).id : (row as number);
}

forEachDb('retention sweep', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  let now: number;
  beforeEach(async () => {
    t = await make();
    clock = new FakeClock();
    now = clock.now();
  });
  afterEach(() => t.close());

  it('deletes old finished notifications with their attempts; keeps pending, in-flight and recent ones', async () => {
    const old = now - 91 * DAY;
    const gone = [
      await addNotification(t.db, 'delivered', old, old + 60_000),
      await addNotification(t.db, 'failed', old, old + 3_600_000),
      await addNotification(t.db, 'cancelled', old, old + 1),
    ];
    const kept = [
      await addNotification(t.db, 'pending', old, null),
      await addNotification(t.db, 'active', old, null),
      await addNotification(t.db, 'delivered', now - 89 * DAY, now - 89 * DAY),
      // Received long ago but finished only lately (a page retried for weeks): counted from its end.
      await addNotification(t.db, 'failed', old, now - 10 * DAY),
    ];
    const r = await sweeper(t.db, clock).sweepNow();
    expect(await ids(t.db, 'notifications')).to.deep.equal(kept);
    expect(
      ((await t.db('attempts').distinct('notification_id').pluck('notification_id')) as number[]).map(Number).sort((a, b) => a - b),
    ).to.deep.equal(kept);
    expect(r.counts).to.include({ notifications: 3, attempts: 6 });
    expect(r.complete).to.equal(true);
    expect(await t.db('attempts').whereIn('notification_id', gone).pluck('id')).to.deep.equal([]);
  });

  it('deletes voicemails older than their retention, so their link no longer plays', async () => {
    const repo = new HotlineMessagesRepo(t.db, { keepDays: 30 });
    const base = {
      caller: '+15550001111',
      userId: null,
      durationMs: 1000,
      contentType: 'audio/wav',
      audio: Buffer.alloc(100, 1),
      incidentId: null,
      alertUid: 'u',
    };
    await repo.insert({ ...base, token: 'old-token-aaaaaaaaaaaaaaaaaaaa', recordedAt: now - 31 * DAY });
    await repo.insert({ ...base, token: 'new-token-bbbbbbbbbbbbbbbbbbbb', recordedAt: now - 29 * DAY });
    const r = await sweeper(t.db, clock).sweepNow();
    expect(r.counts.hotline_messages).to.equal(1);
    expect(await repo.audio('old-token-aaaaaaaaaaaaaaaaaaaa')).to.equal(null);
    expect((await repo.audio('new-token-bbbbbbbbbbbbbbbbbbbb'))!.audio.length).to.equal(100);
  });

  it('deletes a big backlog in batches: 1200 old rows take 3 statements of at most 500', async () => {
    const hb = await addHeartbeat(t.db, now);
    const rows = Array.from({ length: 1200 }, (_, i) => ({ heartbeat_id: hb, at: now - 100 * DAY + i, event: 'ping', detail: null }));
    for (let i = 0; i < rows.length; i += 200) await t.db('heartbeat_events').insert(rows.slice(i, i + 200));
    await t.db('heartbeat_events').insert({ heartbeat_id: hb, at: now - DAY, event: 'ping', detail: null });
    const deletes: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/^delete from ["`]?heartbeat_events["`]?/i.test(q.sql)) deletes.push(q.sql);
    };
    t.db.on('query', onQuery);
    try {
      const r = await sweeper(t.db, clock, {}, 500).sweepNow();
      expect(r.counts.heartbeat_events).to.equal(1200);
      expect(r.batches.heartbeat_events).to.equal(3);
    } finally {
      t.db.off('query', onQuery);
    }
    expect(deletes).to.have.length(3);
    expect(deletes[0]).to.match(/limit/i);
    expect(await count(t.db, 'heartbeat_events')).to.equal(1);
  });

  it('0 keeps for ever: nothing of that table is deleted while the others are swept', async () => {
    const old = now - 400 * DAY;
    await addNotification(t.db, 'delivered', old, old);
    const hb = await addHeartbeat(t.db, now);
    await t.db('heartbeat_events').insert({ heartbeat_id: hb, at: old, event: 'ping', detail: null });
    const s = sweeper(t.db, clock, {
      notifications_days: 0,
      heartbeat_events_days: 0,
      hotline_voicemail_days: 0,
      shift_notices_days: 0,
      phone_verifications_days: 0,
      audit_log_days: 0,
      alert_requests_days: 0,
      closed_alerts_days: 0,
    });
    const r = await s.sweepNow();
    expect([await count(t.db, 'notifications'), await count(t.db, 'attempts'), await count(t.db, 'heartbeat_events')]).to.deep.equal([
      1, 2, 1,
    ]);
    expect(r.batches).to.deep.equal({});
    const r2 = await sweeper(t.db, clock, { notifications_days: 0 }).sweepNow();
    expect([r2.counts.notifications, r2.counts.heartbeat_events]).to.deep.equal([0, 1]);
    expect(await count(t.db, 'notifications')).to.equal(1);
  });

  it('shift notices after their days; phone verification codes a week after they expired', async () => {
    const ins = (sentAt: number, start: number) =>
      t.db('shift_notices').insert({ schedule_id: 'S1', user_pk: 'U1', kind: 'on', shift_start: start, email: null, sent_at: sentAt });
    await ins(now - 91 * DAY, 1);
    await ins(now - 89 * DAY, 2);
    const verification = async (expiresAt: number, state: string) =>
      t.db('phone_verifications').insert({
        user_id: await addUser(t.db, now),
        link_id: `L${++seq}`,
        phone: '+15550001111',
        method: 'sms',
        code_hash: null,
        state,
        attempts: 0,
        was_verified: false,
        sent_at: expiresAt - 600_000,
        expires_at: expiresAt,
        confirmed_at: null,
        updated_at: expiresAt,
      });
    await verification(now - 8 * DAY, 'confirmed');
    await verification(now - 6 * DAY, 'locked');
    await verification(now + 300_000, 'pending');
    const r = await sweeper(t.db, clock).sweepNow();
    expect(r.counts).to.include({ shift_notices: 1, phone_verifications: 1 });
    expect(((await t.db('shift_notices').pluck('shift_start')) as (number | string)[]).map(Number)).to.deep.equal([2]);
    expect((await t.db('phone_verifications').orderBy('id').pluck('state')) as string[]).to.deep.equal(['locked', 'pending']);
  });

  it('audit entries after a year by default', async () => {
    const entry = (at: number) =>
      t.db('audit_log').insert({ at, actor: 'cli', action: 'user.update', target: 'alice@example.com', detail: null });
    await entry(now - 366 * DAY);
    await entry(now - 364 * DAY);
    const r = await sweeper(t.db, clock).sweepNow();
    expect(r.counts).to.include({ audit_log: 1 });
    expect(((await t.db('audit_log').pluck('at')) as (number | string)[]).map(Number)).to.deep.equal([now - 364 * DAY]);
  });

  it('alert request statuses after a week; closed alerts with their timelines after 90 days; open alerts and their timelines never', async () => {
    const request = (id: string, at: number) =>
      t
        .db('alert_requests')
        .insert({ id, action: 'Create', success: true, status: 'Created alert', integration_id: 'i1', processed_at: at });
    await request('old-request', now - 8 * DAY);
    await request('new-request', now - 6 * DAY);
    const alert = async (id: string, createdAt: number, closedAt: number | null) => {
      await t.db('alerts').insert({
        id,
        tiny_id: ++seq,
        alias: id,
        open_alias: closedAt === null ? id : null,
        message: id,
        description: '',
        priority: 'P3',
        status: closedAt === null ? 'open' : 'closed',
        tags: '[]',
        details: '{}',
        actions: '[]',
        responders: '[]',
        visible_to: '[]',
        plan: '[]',
        closed_at: closedAt,
        created_at: createdAt,
        updated_at: closedAt ?? createdAt,
        last_occurred_at: createdAt,
      });
      // Every event as old as the alert itself: an open alert's are past any cut-off too.
      for (const kind of ['created', 'deduplicated', 'closed'].slice(0, closedAt === null ? 2 : 3))
        await t.db('alert_events').insert({ alert_id: id, at: createdAt, kind, actor: 'integration am', text: '' });
    };
    await alert('closed-long-ago', now - 200 * DAY, now - 91 * DAY);
    await alert('closed-lately', now - 200 * DAY, now - 89 * DAY);
    await alert('open-for-months', now - 200 * DAY, null);
    const r = await sweeper(t.db, clock).sweepNow();
    expect(r.counts).to.include({ alert_requests: 1, alerts: 1, alert_events: 3 });
    expect(await t.db('alert_requests').pluck('id')).to.deep.equal(['new-request']);
    expect(((await t.db('alerts').orderBy('id').pluck('id')) as string[]).sort()).to.deep.equal(['closed-lately', 'open-for-months']);
    const events = (await t.db('alert_events').select('alert_id', 'kind').orderBy('id')) as { alert_id: string; kind: string }[];
    expect(events.map((e) => `${e.alert_id}:${e.kind}`)).to.deep.equal([
      'closed-lately:created',
      'closed-lately:deduplicated',
      'closed-lately:closed',
      'open-for-months:created',
      'open-for-months:deduplicated',
    ]);
  });

  it('keeps the last sweep and running totals for metrics', async () => {
    const s = sweeper(t.db, clock);
    expect(s.lastSweep()).to.equal(null);
    await addNotification(t.db, 'delivered', now - 100 * DAY, now - 100 * DAY, 1);
    const first = await s.sweepNow();
    await addNotification(t.db, 'failed', now - 100 * DAY, now - 100 * DAY, 0);
    await clock.advance(1000);
    const second = await s.sweepNow();
    expect(s.lastSweep()).to.equal(second);
    expect([first.startedAt, second.startedAt]).to.deep.equal([now, now + 1000]);
    expect([first.counts.notifications, first.counts.attempts, second.counts.notifications]).to.deep.equal([1, 1, 1]);
    expect(s.totals()).to.include({ notifications: 2, attempts: 1, hotline_messages: 0 });
  });
});
