/**
 * The only file that imports knex. SQLite: one connection (so every write is serialised
 * in-process), WAL, busy_timeout and foreign keys on every connection. PostgreSQL: a pool.
 * Repositories receive the `Db` handle and write portable knex queries.
 */
import knexFactory, { Knex } from 'knex';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Knex;
export type Tx = Knex.Transaction;

/** Where the database lives, as the config loader parsed it from DOZVON_DB. */
export type DbConfig = { client: 'sqlite'; filename: string } | { client: 'pg'; connection: string };

export interface OpenDbOptions {
  sqliteSync?: 'FULL' | 'NORMAL';
  /** PostgreSQL only: the schema to work in (tests give each run its own). */
  pgSearchPath?: string;
  /** PostgreSQL only: pool size (default 10). */
  pgPoolMax?: number;
}

export function openDb(cfg: DbConfig, opts: OpenDbOptions = {}): Db {
  if (cfg.client === 'pg') {
    return knexFactory({
      client: 'pg',
      connection: cfg.connection,
      ...(opts.pgSearchPath ? { searchPath: [opts.pgSearchPath] } : {}),
      pool: { min: 1, max: opts.pgPoolMax ?? 10 },
      acquireConnectionTimeout: 10_000,
    });
  }
  if (cfg.filename !== ':memory:') mkdirSync(dirname(cfg.filename), { recursive: true });
  const sync = opts.sqliteSync ?? 'FULL';
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: cfg.filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        conn: { run: (sql: string, cb: (err: Error | null) => void) => void },
        done: (err: Error | null, c: unknown) => void,
      ) => {
        const pragmas = [
          'PRAGMA journal_mode = WAL',
          `PRAGMA synchronous = ${sync}`,
          'PRAGMA busy_timeout = 5000',
          'PRAGMA foreign_keys = ON',
        ];
        const next = (i: number): void => {
          if (i >= pragmas.length) return done(null, conn);
          conn.run(pragmas[i], (err) => (err ? done(err, conn) : next(i + 1)));
        };
        next(0);
      },
    },
    acquireConnectionTimeout: 10_000,
  });
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}
