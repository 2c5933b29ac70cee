/** `dozvon integrations …`: keys for the Opsgenie alert API. */
import type { Command } from 'commander';
import { integrationsAdd, integrationsList, integrationsRevoke } from '../integrations';
import type { CliContext } from './context';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerIntegrationCommands(program: Command, ctx: CliContext): void {
  const { config, out, create } = ctx;
  const cmd = program.command('integrations').description('keys that Alertmanager, Grafana, Zabbix and Opsgenie scripts send alerts with');
  cmd
    .command('add <name>')
    .description('create a key (printed once) for POST /v2/alerts')
    .option('--team <team>', 'the team paged when an alert names no responder')
    .option(
      '--route <rule>',
      'route to another team: tag:<tag>=<team>, priority:<P1-P5>=<team> or source:<source>=<team> (repeatable)',
      collect,
    )
    .action(async (name: string, flags) => {
      ctx.exit(await integrationsAdd(config(), name, flags, out(), create()));
    });
  cmd
    .command('list')
    .description('list integrations with their masked keys')
    .action(async () => {
      ctx.exit(await integrationsList(config(), out(), create()));
    });
  cmd
    .command('revoke <name>')
    .description('refuse the integration key from now on')
    .action(async (name: string) => {
      ctx.exit(await integrationsRevoke(config(), name, out(), create()));
    });
}
