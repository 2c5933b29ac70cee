/**
 * PostgreSQL for tests: each test database is a fresh schema in DOZVON_TEST_PG_URL (dropped on
 * close), each multi-process run a fresh database. When the server cannot be reached the PG
 * suites fail with a clear message under CI=true and are skipped with a note otherwise.
 * `forEachDb` runs one suite body against SQLite and PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { openDb, Db } from '../../src/db/knex';
import { migrate } from '../../src/db/migrations';
import { makeTestDb } from './db';

export const DEFAULT_TEST_PG_URL = 'postgres://dozvon:dozvon@127.0.0.1:5432/dozvon_test';

export function pgTestUrl(): string {
  return process.env.DOZVON_TEST_PG_URL || DEFAULT_TEST_PG_URL;
}

export type DbKind = 'sqlite' | 'postgres';

/** What both kinds of test database offer. */
export interface AnyTestDb {
  kind: DbKind;
  db: Db;
  close(): Promise<void>;
}

function maskedUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:****@');
}

let probe: Promise<string | null> | null = null;

/** null when PostgreSQL answers, otherwise why not (probed once per test process). */
export function pgUnavailable(): Promise<string | null> {
  probe ??= (async () => {
    const db = openDb({ client: 'pg', connection: pgTestUrl() }, { pgPoolMax: 1 });
    try {
      await db.raw('select 1');
      return null;
    } catch (e) {
      return `PostgreSQL at ${maskedUrl(pgTestUrl())} is not reachable (${(e as Error).message}). Start it with: bash scripts/ci-postgres.sh (or set DOZVON_TEST_PG_URL)`;
    } finally {
      await db.destroy();
    }
  })();
  return probe;
}

/**
 * For a suite's `before` hook: fails under CI, skips locally when PostgreSQL is missing.
 * Use as `before(async function () { await requirePg(this); })`.
 */
export async function requirePg(ctx: Mocha.Context): Promise<void> {
  const why = await pgUnavailable();
  if (why === null) return;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL suites cannot run: ${why}`);
  console.warn(`  skipping PostgreSQL suite: ${why}`);
  ctx.skip();
}

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

/** A migrated, empty schema of its own; close() drops it. */
export async function makePgTestDb(opts: { poolMax?: number } = {}): Promise<AnyTestDb> {
  const schema = uniqueName('t');
  const admin = openDb({ client: 'pg', connection: pgTestUrl() }, { pgPoolMax: 1 });
  await admin.raw('create schema ??', [schema]);
  const db = openDb({ client: 'pg', connection: pgTestUrl() }, { pgSearchPath: schema, pgPoolMax: opts.poolMax });
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    await admin.raw('drop schema ?? cascade', [schema]);
    await admin.destroy();
    throw e;
  }
  return {
    kind: 'postgres',
    db,
    async close() {
      await db.destroy();
      try {
        await admin.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** A fresh database (for spawned `dozvon serve` processes, which work in the public schema). */
export async function makePgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName('dozvon_ha');
  const admin = openDb({ client: 'pg', connection: pgTestUrl() }, { pgPoolMax: 1 });
  await admin.raw('create database ??', [name]);
  const url = new URL(pgTestUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.raw('drop database if exists ?? with (force)', [name]);
      } finally {
        await admin.destroy();
      }
    },
  };
}

async function makeSqlite(): Promise<AnyTestDb> {
  const t = await makeTestDb();
  return { kind: 'sqlite', db: t.db, close: () => t.close() };
}

/**
 * Declares `body` once per database kind, each inside its own describe block named
 * "<title> (SQLite)" / "<title> (PostgreSQL)". `make()` opens a fresh migrated database.
 */
export function forEachDb(title: string, body: (make: () => Promise<AnyTestDb>, kind: DbKind) => void): void {
  describe(`${title} (SQLite)`, () => body(makeSqlite, 'sqlite'));
  describe(`${title} (PostgreSQL)`, function () {
    before(async function () {
      await requirePg(this);
    });
    body(() => makePgTestDb(), 'postgres');
  });
}
