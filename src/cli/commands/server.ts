/** `dozvon serve`, `config` and `migrate`: running the server and preparing what it runs on. */
import type { Command } from 'commander';
import { describeConfig } from '../../config';
import { openDb } from '../../db/knex';
import { migrate } from '../../db/migrations';
import { table } from '../output';
import { serve } from '../serve';
import type { CliContext } from './context';

export function registerServerCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run dozvon: HTTP API, telephony, dispatch and watchers (migrates the database first)')
    .action(async () => {
      ctx.exit(await serve(ctx.config()));
    });

  program
    .command('config')
    .description('print the effective configuration, secrets masked')
    .action(() => {
      const desc = describeConfig(ctx.config());
      const rows = Object.entries(desc).map(([name, v]) => ({ name, value: v.value, source: v.source }));
      ctx.out().print(table(rows, ['name', 'value', 'source']), desc);
    });

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const cfg = ctx.config();
      const db = openDb(cfg.db, { sqliteSync: cfg.sqliteSync });
      try {
        const applied = await migrate(db);
        ctx.out().print(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date', { applied });
      } finally {
        await db.destroy();
      }
    });
}
