/**
 * Pages dozvon created itself, kept in the database (DbPageStore) on SQLite and PostgreSQL:
 * the make_call that follows a direct page may reach another instance or a restarted one.
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { forEachDb, AnyTestDb, makePgTestDb, requirePg, pgTestUrl } from '../helpers/pg';
import { makeTestDb } from '../helpers/db';
import { openDb, Db } from '../../src/db/knex';
import { DbPageStore } from '../../src/oncall/own-pages-repo';
import { Correlator } from '../../src/oncall/correlate';
import { OnCallActions } from '../../src/oncall/actions';
import { HttpOnCallClient } from '../../src/oncall/http-client';
import type { PageStore } from '../../src/oncall/page-store';
import { FakeOnCall } from '../fakes/oncall';

const NOW = 1_700_000_000_000; // beyond int4: the bigint column matters
const MIN = 60_000;
const WINDOW = 15 * MIN;

forEachDb('own pages (DbPageStore)', (make) => {
  let t: AnyTestDb;
  let store: DbPageStore;
  beforeEach(async () => {
    t = await make();
    store = new DbPageStore(t.db);
  });
  afterEach(() => t.close());

  it('takes the oldest page first, once, whatever the case of the email', async () => {
    await store.remember('Bob@Example.com', 'G2', NOW - 2 * MIN);
    await store.remember('bob@example.com', 'G1', NOW - 5 * MIN);
    await store.remember('bob@example.com', 'G3', NOW - 1 * MIN);
    await store.remember('carol@example.com', 'G9', NOW - 9 * MIN);
    expect(await store.take('BOB@example.COM', NOW, WINDOW)).to.equal('G1');
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal('G2');
    expect(await store.take('bob@EXAMPLE.com', NOW, WINDOW)).to.equal('G3');
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal(null);
    expect(await store.take('carol@example.com', NOW, WINDOW)).to.equal('G9');
    expect(await store.count()).to.equal(0);
  });

  it('paging one person for the same group again refreshes that page instead of adding one', async () => {
    await store.remember('bob@example.com', 'G1', NOW - 5 * MIN);
    await store.remember('bob@example.com', 'G2', NOW - 4 * MIN);
    await store.remember('BOB@example.com', 'G1', NOW - 1 * MIN);
    expect(await store.count('bob@example.com')).to.equal(2);
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal('G2');
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal('G1');
  });

  it('pages outside the window are never taken, and are dropped on take', async () => {
    await store.remember('bob@example.com', 'OLD', NOW - WINDOW - 1);
    await store.remember('bob@example.com', 'EDGE', NOW - WINDOW);
    await store.remember('bob@example.com', 'FUTURE', NOW + 2 * MIN); // beyond a minute of clock skew
    await store.remember('carol@example.com', 'OTHER', NOW - WINDOW - 1);
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal('EDGE');
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal(null);
    expect(await store.count('bob@example.com')).to.equal(1); // FUTURE stays; OLD went
    expect(await store.count('carol@example.com')).to.equal(1); // only the taker's rows are cleaned
    expect(await store.take('bob@example.com', NOW + 2 * MIN, WINDOW)).to.equal('FUTURE');
    expect(await store.prune(NOW)).to.equal(1);
    expect(await store.count()).to.equal(0);
  });

  it('keeps at most 20 pages per person, dropping the oldest', async () => {
    for (let i = 0; i < 25; i++) await store.remember('bob@example.com', `G${i}`, NOW - MIN + i);
    await store.remember('carol@example.com', 'C', NOW);
    expect(await store.count('bob@example.com')).to.equal(20);
    expect(await store.count('carol@example.com')).to.equal(1);
    expect(await store.take('bob@example.com', NOW, WINDOW)).to.equal('G5');
  });

  it('a new store instance on the same database (a restart, another instance) takes what the first remembered', async () => {
    await store.remember('bob@example.com', 'G1', NOW);
    const other = new DbPageStore(t.db);
    expect(await other.take('bob@example.com', NOW + MIN, WINDOW)).to.equal('G1');
    expect(await store.take('bob@example.com', NOW + MIN, WINDOW)).to.equal(null);
  });

  it('concurrent takes on one database never return the same page twice', async () => {
    for (let i = 0; i < 20; i++) await store.remember('bob@example.com', `G${i}`, NOW - MIN + i);
    const got = await Promise.all(Array.from({ length: 30 }, () => store.take('bob@example.com', NOW, WINDOW)));
    const taken = got.filter((g): g is string => g !== null);
    expect(taken).to.have.length(20);
    expect(new Set(taken).size).to.equal(20);
  });

  it('the correlator of another instance matches the make_call to the page this one created', async () => {
    await store.remember('bob@example.com', 'G42', NOW);
    const correlator = new Correlator({ client: null, pages: new DbPageStore(t.db) });
    const r = await correlator.correlate({
      message: 'You are invited to check an alert group',
      email: 'Bob@example.com',
      receivedAt: NOW + 30_000,
    });
    expect([r.alertGroupId, r.correlation, r.via]).to.deep.equal(['G42', 'exact', 'own-page']);
  });
});

describe('own pages: SQLite file reopened (a restart)', () => {
  it('a page remembered before the restart is taken after it', async () => {
    const t = await makeTestDb();
    let reopened: Db | null = null;
    try {
      await new DbPageStore(t.db).remember('bob@example.com', 'G1', NOW);
      await t.db.destroy();
      reopened = openDb({ client: 'sqlite', filename: t.file });
      expect(await new DbPageStore(reopened).take('bob@example.com', NOW + MIN, WINDOW)).to.equal('G1');
    } finally {
      await reopened?.destroy();
      rmSync(t.dir, { recursive: true, force: true });
    }
  });
});

describe('own pages: two instances on one PostgreSQL', () => {
  let t: AnyTestDb;
  let other: Db | null = null;
  before(async function () {
    await requirePg(this);
  });
  beforeEach(async () => {
    t = await makePgTestDb();
  });
  afterEach(async () => {
    await other?.destroy();
    other = null;
    await t.close();
  });

  it('20 concurrent takes from each of two pools share 20 pages without a duplicate', async () => {
    const schema = ((await t.db.raw('select current_schema() as s')) as { rows: { s: string }[] }).rows[0].s;
    other = openDb({ client: 'pg', connection: pgTestUrl() }, { pgSearchPath: schema, pgPoolMax: 10 });
    const a = new DbPageStore(t.db);
    const b = new DbPageStore(other);
    for (let i = 0; i < 20; i++) await a.remember('bob@example.com', `G${i}`, NOW - MIN + i);
    const results = await Promise.all(
      [a, b].map((s) => Promise.all(Array.from({ length: 20 }, () => s.take('Bob@example.com', NOW, WINDOW)))),
    );
    const taken = results.flat().filter((g): g is string => g !== null);
    expect(taken).to.have.length(20);
    expect(new Set(taken).size).to.equal(20);
    expect(await a.count()).to.equal(0);
  });
});

/** A store whose database is gone. */
class FailingPageStore implements PageStore {
  async remember(): Promise<void> {
    throw new Error('database is locked');
  }
  async take(): Promise<string | null> {
    throw new Error('database is locked');
  }
}

describe('own pages: a failing store does not fail what uses it', () => {
  it('correlation goes on without the exact match', async () => {
    const correlator = new Correlator({ client: null, pages: new FailingPageStore() });
    const r = await correlator.correlate({ message: 'You are invited to check an alert group', email: 'bob@example.com', receivedAt: NOW });
    expect([r.alertGroupId, r.correlation, r.reason]).to.deep.equal([null, 'none', 'OnCall API not configured']);
  });

  it('an escalation that paged is still done when the page cannot be remembered', async () => {
    const oncall = await FakeOnCall.start();
    try {
      oncall.state.addUser({ email: 'dozvon@example.com', username: 'dozvon', token: 'svc' });
      const bob = oncall.state.addUser({ email: 'bob@example.com', username: 'bob' });
      const g = oncall.state.addAlertGroup({ integrationId: oncall.state.addIntegration({ name: 'Prod' }).id });
      const actions = new OnCallActions({
        client: new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc', timeoutMs: 5000 }),
        sections: { escalation: { default: { users: ['bob@example.com'] } } },
        pages: new FailingPageStore(),
        deadlineMs: 2000,
      });
      const r = await actions.escalate({
        alertGroupIds: [g.id],
        actor: { name: 'Alice', email: 'alice@example.com', phone: '+79161234567' },
        channel: 'phone',
      });
      expect(r.status).to.equal('done');
      expect(oncall.state.pages.map((p) => p.userIds)).to.deep.equal([[bob.id]]);
    } finally {
      await oncall.close();
    }
  });
});
