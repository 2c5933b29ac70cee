/** `dozvon heartbeats …`: dead man's switches. */
import type { Command } from 'commander';
import { heartbeatsAdd, heartbeatsList, heartbeatsRemove, heartbeatsPause } from '../ops';
import type { CliContext } from './context';

export function registerHeartbeatCommands(program: Command, ctx: CliContext): void {
  const { config, out, create } = ctx;
  const hb = program.command('heartbeats').description("dead man's switches that page when a system stops pinging");
  hb.command('add <name>')
    .description('watch a heartbeat: page people when no ping arrives for --every plus --grace')
    .requiredOption('--every <duration>', 'expected ping period, e.g. 5m')
    .option('--grace <duration>', 'extra time before it is down, e.g. 1m', '0s')
    .option('--page <emails>', 'comma-separated emails of people in the directory to page (default: heartbeats.page in the config file)')
    .option('--kind <kind>', 'healthchecks (default), opsgenie, alertmanager, peer')
    .action(async (name: string, flags) => {
      ctx.exit(await heartbeatsAdd(config(), name, flags, out(), create()));
    });
  hb.command('list')
    .description('list heartbeats with their state and last ping')
    .action(async () => {
      ctx.exit(await heartbeatsList(config(), out(), create()));
    });
  hb.command('remove <name>')
    .description('stop watching a heartbeat and delete its history (declared ones are removed from the config file)')
    .action(async (name: string) => {
      ctx.exit(await heartbeatsRemove(config(), name, out(), create()));
    });
  hb.command('pause <name>')
    .description('stop expecting pings (no page while paused); the history records it')
    .action(async (name: string) => {
      ctx.exit(await heartbeatsPause(config(), name, true, out(), create()));
    });
  hb.command('resume <name>')
    .description('expect pings again: a fresh --every + --grace window starts now')
    .action(async (name: string) => {
      ctx.exit(await heartbeatsPause(config(), name, false, out(), create()));
    });
}
