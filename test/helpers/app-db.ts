/**
 * The whole app on either database, as OnCall meets it (telephony configured and an SMS sender,
 * engines off): SQLite as startApp() makes it, or a fresh PostgreSQL schema. Suites that must
 * answer the same on both declare themselves with forEachDb and start through here.
 */
import type { AppOverrides } from '../../src/app';
import type { RunningApp } from './app';
import { startDeliverableApp } from './deliverable-app';
import { DbKind, makePgTestDb } from './pg';

export async function startAppOn(kind: DbKind, env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningApp> {
  if (kind === 'sqlite') return startDeliverableApp(env, overrides);
  const pg = await makePgTestDb({ poolMax: 4 });
  const t = await startDeliverableApp(env, { ...overrides, db: pg.db });
  return {
    ...t,
    async close() {
      await t.close(); // destroys the pool
      await pg.close(); // drops the schema
    },
  };
}
