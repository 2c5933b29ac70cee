/**
 * SQLite's read-only connections beside the one writer: a read does not wait while the writer is
 * inside a transaction, it sees what was committed (never what is still being written), and it
 * cannot write. Where one handle serves both (in-memory SQLite, PostgreSQL) the writer is used.
 */
import { expect } from 'chai';
import { openReadDb, Db } from '../../src/db/knex';
import { makeTestDb, TestDb } from '../helpers/db';
import { loadConfig } from '../../src/config';
import { buildStores } from '../../src/compose/stores';
import { silentLogger } from '../../src/core/log';
import { join } from 'node:path';

describe('SQLite read connections', () => {
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

  const keys = async (db: Db) => ((await db('kv').select('key').orderBy('key')) as { key: string }[]).map((r) => r.key);

  it('reads the committed state while the writer is inside a transaction, and sees the commit after it', async () => {
    await t.db('kv').insert({ key: 'before', value: '1', updated_at: 1 });
    let readWhileHeld: string[] = [];
    await t.db.transaction(async (tx) => {
      await tx('kv').insert({ key: 'during', value: '2', updated_at: 2 });
      // With one connection this read would queue behind the transaction that waits for it: a deadlock the test's timeout reports.
      readWhileHeld = await keys(reads);
    });
    expect(readWhileHeld).to.deep.equal(['before']);
    expect(await keys(reads)).to.deep.equal(['before', 'during']);
  });

  it('refuses to write', async () => {
    const err = await reads('kv')
      .insert({ key: 'x', value: '1', updated_at: 1 })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err?.message).to.match(/readonly|read-only/i);
  });

  it('is the writer itself for an in-memory database (another connection would be another database)', () => {
    expect(openReadDb({ client: 'sqlite', filename: ':memory:' }, t.db)).to.equal(t.db);
    expect(openReadDb({ client: 'pg', connection: 'postgres://unused' }, t.db)).to.equal(t.db);
  });

  it('backs the stores of a server on a database file with separate read connections', async () => {
    const config = loadConfig({ env: { DOZVON_DB: `sqlite:${join(t.dir, 'stores.sqlite')}`, DOZVON_TTS: 'none' } });
    const stores = buildStores(config, { logger: silentLogger() });
    try {
      expect(stores.reads.db).to.not.equal(stores.db);
      const err = await stores.reads.db.raw('create table nope (x integer)').then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).to.match(/readonly|read-only/i);
    } finally {
      await stores.reads.db.destroy();
      await stores.db.destroy();
    }
  });
});
