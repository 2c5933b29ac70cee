/** A fresh, migrated SQLite file per test (real file: WAL and fsync behave as in production). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, Db } from '../../src/db/knex';
import { migrate } from '../../src/db/migrations';

export interface TestDb {
  db: Db;
  dir: string;
  file: string;
  close(): Promise<void>;
}

export async function makeTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'dozvon-test-'));
  const file = join(dir, 'test.sqlite');
  const db = openDb({ client: 'sqlite', filename: file }, { sqliteSync: 'NORMAL' });
  await migrate(db);
  return {
    db,
    dir,
    file,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
