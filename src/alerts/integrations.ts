/**
 * Integration keys: what an Opsgenie client puts after `GenieKey`. Each key names its default
 * team and may route alerts to other teams by tag, priority or source (rules as data, first match
 * wins). The key is shown once when created; only its SHA-256 is stored, and a hint of its last
 * characters identifies it everywhere else.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db, Tx } from '../db/knex';
import type { AuditLog } from '../audit/repo';
import type { AlertInput } from './types';

export interface RoutingRule {
  /** Which alert field the rule reads. */
  field: 'tag' | 'priority' | 'source';
  /** Matched exactly (tags: one of the alert's tags). */
  equals: string;
  team: string;
}

export interface Integration {
  id: string;
  name: string;
  /** The last characters of the key, to tell keys apart without showing them. */
  keyHint: string;
  defaultTeam: string | null;
  rules: RoutingRule[];
  createdAt: number;
  revokedAt: number | null;
}

interface Row {
  id: string;
  name: string;
  key_hash: string;
  key_hint: string;
  default_team: string | null;
  rules: string;
  created_at: number | string;
  revoked_at: number | string | null;
}

const toIntegration = (r: Row): Integration => ({
  id: r.id,
  name: r.name,
  keyHint: r.key_hint,
  defaultTeam: r.default_team,
  rules: JSON.parse(r.rules) as RoutingRule[],
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

const hashKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** The team an alert goes to when it names no responder: the first matching rule's, else the key's default. */
export function routeTeam(
  integration: Pick<Integration, 'defaultTeam' | 'rules'> | null,
  a: Pick<AlertInput, 'tags' | 'priority' | 'source'>,
): string | null {
  if (!integration) return null;
  for (const r of integration.rules) {
    if (r.field === 'tag' && (a.tags ?? []).includes(r.equals)) return r.team;
    if (r.field === 'priority' && (a.priority ?? 'P3') === r.equals) return r.team;
    if (r.field === 'source' && (a.source ?? '') === r.equals) return r.team;
  }
  return integration.defaultTeam;
}

/** `tag:disk=dba`, `priority:P1=ops`, `source:Zabbix=web` → a rule; null when it is not one. */
export function parseRoute(s: string): RoutingRule | null {
  const m = /^(tag|priority|source):([^=]+)=(.+)$/.exec(s.trim());
  if (!m) return null;
  return { field: m[1] as RoutingRule['field'], equals: m[2].trim(), team: m[3].trim() };
}

export function maskedKey(hint: string): string {
  return `…${hint}`;
}

export class IntegrationsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {}

  /** The only time the key is returned. */
  async create(
    actor: string,
    input: { name: string; defaultTeam: string | null; rules: RoutingRule[] },
  ): Promise<{ integration: Integration; key: string }> {
    const key = randomUUID();
    const id = randomUUID();
    return this.db.transaction(async (tx: Tx) => {
      const row: Row = {
        id,
        name: input.name,
        key_hash: hashKey(key).toString('hex'),
        key_hint: key.slice(-4),
        default_team: input.defaultTeam,
        rules: JSON.stringify(input.rules),
        created_at: this.now(),
        revoked_at: null,
      };
      await tx('alert_integrations').insert(row);
      await this.audit.record(
        {
          actor,
          action: 'integration.create',
          target: input.name,
          detail: { id, key: maskedKey(row.key_hint), defaultTeam: input.defaultTeam, rules: input.rules.length },
        },
        tx,
      );
      return { integration: toIntegration(row), key };
    });
  }

  async list(): Promise<Integration[]> {
    return ((await this.db('alert_integrations').orderBy('created_at')) as Row[]).map(toIntegration);
  }

  /** False when no active integration has this id or name. */
  async revoke(actor: string, idOrName: string): Promise<boolean> {
    return this.db.transaction(async (tx: Tx) => {
      const row = (await tx('alert_integrations')
        .whereNull('revoked_at')
        .where((w) => w.where({ id: idOrName }).orWhere({ name: idOrName }))
        .first()) as Row | undefined;
      if (!row) return false;
      await tx('alert_integrations').where({ id: row.id }).update({ revoked_at: this.now() });
      await this.audit.record(
        { actor, action: 'integration.revoke', target: row.name, detail: { id: row.id, key: maskedKey(row.key_hint) } },
        tx,
      );
      return true;
    });
  }

  /**
   * The active integration whose key this is. Every active hash is compared in constant time,
   * so neither the position of a match nor a near miss shows in the timing.
   */
  async verify(offered: readonly string[]): Promise<Integration | null> {
    const rows = (await this.db('alert_integrations').whereNull('revoked_at')) as Row[];
    let found: Row | null = null;
    for (const key of offered) {
      const h = hashKey(key);
      for (const r of rows) if (timingSafeEqual(h, Buffer.from(r.key_hash, 'hex')) && !found) found = r;
    }
    return found ? toIntegration(found) : null;
  }
}
