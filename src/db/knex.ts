/**
 * The only file that imports knex. SQLite: one connection (so every write is serialised
 * in-process), WAL, busy_timeout and foreign keys on every connection, and beside it a few
 * read-only connections (openReadDb) for reads that must not wait behind a write. PostgreSQL:
 * a pool, which serves both.
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
  return sqlite(cfg.filename, { min: 1, max: 1 }, [
    'PRAGMA journal_mode = WAL',
    `PRAGMA synchronous = ${sync}`,
    'PRAGMA busy_timeout = 5000',
    'PRAGMA foreign_keys = ON',
  ]);
}

/** Read-only connections beside SQLite's one writer: enough for the dial path's reads and a console page at once. */
const SQLITE_READERS = 2;

/**
 * A handle for reads that need no transaction of their own: on SQLite, read-only connections
 * that WAL lets read the last committed state while the writer's connection is inside a
 * transaction (a burst's claim reads its people while the next pages are being committed).
 * PostgreSQL's pool and an in-memory SQLite database (one connection is the whole database)
 * are served by the writer itself.
 */
export function openReadDb(cfg: DbConfig, writer: Db): Db {
  if (cfg.client === 'pg' || cfg.filename === ':memory:') return writer;
  // Opened on the first read (min 0), after the writer has made the file and set WAL (which the
  // file keeps), so a reader never sees a database in rollback-journal mode.
  return sqlite(cfg.filename, { min: 0, max: SQLITE_READERS }, [
    'PRAGMA query_only = ON',
    'PRAGMA busy_timeout = 5000',
    'PRAGMA foreign_keys = ON',
  ]);
}

/** A SQLite handle whose every connection runs `pragmas` before it is used. */
function sqlite(filename: string, pool: { min: number; max: number }, pragmas: string[]): Db {
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: { ...pool, afterCreate: runPragmas(pragmas) },
    acquireConnectionTimeout: 10_000,
  });
}

type SqliteConn = { run: (sql: string, cb: (err: Error | null) => void) => void };

/** knex's afterCreate for SQLite: the pragmas in order, each on the new connection before it is used. */
function runPragmas(pragmas: string[]) {
  return (conn: SqliteConn, done: (err: Error | null, c: unknown) => void): void => {
    const next = (i: number): void => {
      if (i >= pragmas.length) return done(null, conn);
      conn.run(pragmas[i], (err) => (err ? done(err, conn) : next(i + 1)));
    };
    next(0);
  };
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}
