/** `dozvon call` and `check`: asking a running installation whether it can page. */
import type { Command } from 'commander';
import { testCall, checkOnce } from '../ops';
import type { CliContext } from './context';

export function registerOpsCommands(program: Command, ctx: CliContext): void {
  program
    .command('call')
    .description('place a test call through the running server and print the outcome (exit 0 when a digit was pressed)')
    .requiredOption('--to <email>', 'the person to call')
    .requiredOption('--text <text>', 'what to read out')
    .option('--server <url>', 'the running dozvon (default: DOZVON_LISTEN on this host)')
    .option('--wait <seconds>', 'how long to wait for the outcome', '180')
    .action(async (flags) => {
      ctx.exit(await testCall(ctx.config(), flags, ctx.out()));
    });

  program
    .command('check')
    .description(
      'run the self-checks once (database, ARI, senders, OnCall, speech, heartbeats): ok, degraded, down or not configured; exit 1 only if one is down',
    )
    .action(async () => {
      ctx.exit(await checkOnce(ctx.config(), ctx.out(), ctx.create()));
    });
}
