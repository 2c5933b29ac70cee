/**
 * Schema as code, applied in order and recorded in knex's own migrations table.
 * Times are stored as epoch milliseconds (bigint) so SQLite and PostgreSQL compare them the
 * same way; JSON is stored as text for the same reason.
 */
import type { Db } from './knex';
import { isPostgres } from './knex';
import type { Knex } from 'knex';
import type { Migration } from './schema/migration';
import { baseMigrations } from './schema/base';
import { pagingMigrations } from './schema/paging';

const migrations: Migration[] = [...baseMigrations, ...pagingMigrations];

/** Migrations run in array order; append new ones at the end of schema/paging.ts, never edit an applied one. */
export function allMigrations(): readonly Migration[] {
  return migrations;
}

class InCodeSource implements Knex.MigrationSource<Migration> {
  async getMigrations(): Promise<Migration[]> {
    return migrations;
  }
  getMigrationName(m: Migration): string {
    return m.name;
  }
  async getMigration(m: Migration): Promise<Knex.Migration> {
    return { up: (k: Knex) => m.up(k), down: (k: Knex) => m.down(k) };
  }
}

/** Any fixed number: the advisory lock that lets one instance of a cluster migrate at a time. */
const MIGRATION_LOCK_KEY = 4_774_311;

/**
 * Applies pending migrations. Several instances starting together on one PostgreSQL take
 * turns through an advisory lock held by a transaction on its own pooled connection (knex's
 * own lock table answers a concurrent caller with an error instead of waiting); the second
 * instance then finds nothing left to do.
 */
export async function migrate(db: Db): Promise<string[]> {
  const run = async (): Promise<string[]> => {
    const [, applied] = (await db.migrate.latest({ migrationSource: new InCodeSource(), tableName: 'dozvon_migrations' })) as [
      number,
      string[],
    ];
    return applied;
  };
  if (!isPostgres(db)) return run();
  return db.transaction(async (tx) => {
    await tx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return run();
  });
}
