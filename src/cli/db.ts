/**
 * Opens the database for a CLI command. Only `serve`, `migrate` and commands given `--create`
 * may create a new SQLite file: run from the wrong directory, a relative DOZVON_DB would
 * otherwise make an empty database and the command would answer "no users" about it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config';
import { openDb, Db } from '../db/knex';
import { migrate } from '../db/migrations';
import { EXIT } from './output';

/** A refusal the CLI reports as it is, with its exit code. */
export class CliRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export async function openCliDb(config: Config, opts: { create?: boolean } = {}): Promise<Db> {
  const cfg = config.db;
  if (cfg.client !== 'pg' && cfg.filename !== ':memory:' && !opts.create && !existsSync(cfg.filename)) {
    throw new CliRefusal(
      `no database at ${resolve(cfg.filename)} (DOZVON_DB): run the command where dozvon serve runs or set DOZVON_DB to its file; ` +
        'to start a new database here, run `dozvon migrate` or add --create',
      EXIT.config,
    );
  }
  const db = openDb(cfg, { sqliteSync: config.sqliteSync });
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}
