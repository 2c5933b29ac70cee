/**
 * The `dozvon` command line; the only place that imports commander (with its command groups in
 * commands/). Exit codes: 0 ok, 1 failure, 2 bad usage or input, 78 bad configuration.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { EXIT } from './output';
import { CliRefusal } from './db';
import { cliContext, CliIo } from './commands/context';
import { registerServerCommands } from './commands/server';
import { registerUserCommands } from './commands/users';
import { registerOpsCommands } from './commands/ops';
import { registerHeartbeatCommands } from './commands/heartbeats';
import { registerTeamCommands } from './commands/teams';
import { registerIntegrationCommands } from './commands/integrations';

export type { CliIo };

export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const program = new Command('dozvon')
    .description('Self-hosted voice paging for on-call engineers (a Grafana OnCall cloud stand-in on Asterisk)')
    .option('--json', 'print JSON instead of human-readable text')
    .option('--create', 'create the database if it does not exist (serve and migrate always may)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (io.stdout ?? process.stdout).write(s), writeErr: (s) => (io.stderr ?? process.stderr).write(s) });
  const ctx = cliContext(program, io);
  // Registered in the order `dozvon --help` lists them.
  registerServerCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerOpsCommands(program, ctx);
  registerHeartbeatCommands(program, ctx);
  registerTeamCommands(program, ctx);
  registerIntegrationCommands(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof CliRefusal) {
      ctx.out().error(e.message);
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      ctx.out().error(`configuration: ${e.message}`);
      return EXIT.config;
    }
    ctx.out().error((e as Error).message);
    return EXIT.failure;
  }
  return ctx.code();
}
