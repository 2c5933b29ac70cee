/**
 * `dozvon integrations add|list|revoke`: the keys Opsgenie clients (Alertmanager, Grafana,
 * Zabbix) send alerts with. The key is printed once, by `add`; everything else shows its hint.
 */
import type { Config } from '../config';
import { IntegrationsService, maskedKey, parseRoute, type RoutingRule } from '../alerts/integrations';
import { AuditRepo } from '../audit';
import { cliActor } from './audit';
import { openCliDb } from './db';
import { EXIT, table, type Out } from './output';

async function withIntegrations(config: Config, create: boolean, fn: (s: IntegrationsService) => Promise<number>): Promise<number> {
  const db = await openCliDb(config, { create });
  try {
    return await fn(new IntegrationsService(db, new AuditRepo(db, Date.now), Date.now));
  } finally {
    await db.destroy();
  }
}

export async function integrationsAdd(
  config: Config,
  name: string,
  flags: { team?: string; route?: string[] },
  out: Out,
  create = false,
): Promise<number> {
  if (!/^[^\s].{0,99}$/.test(name)) {
    out.error('the name must be 1-100 characters and not start with a space');
    return EXIT.usage;
  }
  const rules: RoutingRule[] = [];
  for (const r of flags.route ?? []) {
    const rule = parseRoute(r);
    if (!rule) {
      out.error(`--route ${r}: expected tag:<tag>=<team>, priority:<P1-P5>=<team> or source:<source>=<team>`);
      return EXIT.usage;
    }
    rules.push(rule);
  }
  return withIntegrations(config, create, async (s) => {
    if ((await s.list()).some((i) => i.name === name && i.revokedAt === null)) {
      out.error(`an integration named ${name} already exists`);
      return EXIT.failure;
    }
    const { integration, key } = await s.create(cliActor(), { name, defaultTeam: flags.team?.trim() || null, rules });
    const url = new URL('v2/alerts', config.publicUrl).toString();
    out.print(
      `added integration ${name}\nkey: ${key}\n(shown only now: store it where the sender's configuration lives)\nsend alerts to: ${url} with "Authorization: GenieKey <key>"`,
      { integration, key, url },
    );
    return EXIT.ok;
  });
}

export async function integrationsList(config: Config, out: Out, create = false): Promise<number> {
  return withIntegrations(config, create, async (s) => {
    const list = await s.list();
    const rows = list.map((i) => ({
      name: i.name,
      key: maskedKey(i.keyHint),
      team: i.defaultTeam ?? '',
      routes: i.rules.map((r) => `${r.field}:${r.equals}=${r.team}`),
      state: i.revokedAt === null ? 'active' : 'revoked',
      created: new Date(i.createdAt).toISOString(),
    }));
    out.print(rows.length ? table(rows, ['name', 'key', 'team', 'routes', 'state', 'created']) : 'no integrations', {
      count: rows.length,
      results: list,
    });
    return EXIT.ok;
  });
}

export async function integrationsRevoke(config: Config, name: string, out: Out, create = false): Promise<number> {
  return withIntegrations(config, create, async (s) => {
    if (!(await s.revoke(cliActor(), name))) {
      out.error(`no active integration named ${name}`);
      return EXIT.failure;
    }
    out.print(`revoked integration ${name}: its key is refused from now on`, { revoked: name });
    return EXIT.ok;
  });
}
