/**
 * Integrations OnCall creates through the cloud API (in practice: its own heartbeat). Each
 * one owns a heartbeat row of kind `oncall` that pings through the secret link keep alive.
 */
import type { Db } from './knex';
import { linkToken, publicId } from '../core/ids';

export interface CloudIntegration {
  id: number;
  publicId: string;
  name: string;
  type: string;
  teamId: string | null;
  token: string;
  heartbeatId: number | null;
  createdAt: number;
}

interface Row {
  id: number;
  public_id: string;
  name: string;
  type: string;
  team_id: string | null;
  token: string;
  heartbeat_id: number | null;
  created_at: number | string;
}

const toIntegration = (r: Row): CloudIntegration => ({
  id: r.id,
  publicId: r.public_id,
  name: r.name,
  type: r.type,
  teamId: r.team_id,
  token: r.token,
  heartbeatId: r.heartbeat_id,
  createdAt: Number(r.created_at),
});

/** OnCall's cloud watches its engine's heartbeat with a 600 s timeout; pings come every 180 s. */
export const ONCALL_HEARTBEAT = { periodS: 180, graceS: 420 } as const;

export class CloudIntegrationsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async findByName(name: string): Promise<CloudIntegration | null> {
    const r = (await this.db('cloud_integrations').where({ name }).first()) as Row | undefined;
    return r ? toIntegration(r) : null;
  }

  async findByToken(token: string): Promise<CloudIntegration | null> {
    const r = (await this.db('cloud_integrations').where({ token }).first()) as Row | undefined;
    return r ? toIntegration(r) : null;
  }

  async list(name?: string): Promise<CloudIntegration[]> {
    const rows = (await this.db('cloud_integrations')
      .where((b) => {
        if (name !== undefined) b.where({ name });
      })
      .orderBy('id')) as Row[];
    return rows.map(toIntegration);
  }

  /**
   * Creates the integration and its heartbeat in one transaction; returns the existing one
   * when the name is taken (idempotent, as the contract recommends).
   */
  async createOrGet(input: {
    name: string;
    type: string;
    teamId: string | null;
  }): Promise<{ integration: CloudIntegration; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const existing = (await tx('cloud_integrations').where({ name: input.name }).first()) as Row | undefined;
      if (existing) return { integration: toIntegration(existing), created: false };
      const t = this.now();
      let heartbeatId: number | null = null;
      const hb = (await tx('heartbeats').where({ name: input.name }).first()) as { id: number } | undefined;
      if (hb) heartbeatId = hb.id;
      else {
        const [idRow] = await tx('heartbeats')
          .insert({
            name: input.name,
            kind: 'oncall',
            period_s: ONCALL_HEARTBEAT.periodS,
            grace_s: ONCALL_HEARTBEAT.graceS,
            enabled: true,
            page: '[]',
            description: 'OnCall OSS engine heartbeat (created by the engine through the cloud API)',
            state: 'new',
            state_changed_at: t,
            created_at: t,
          })
          .returning('id');
        heartbeatId = typeof idRow === 'object' ? (idRow as { id: number }).id : (idRow as number);
      }
      await tx('cloud_integrations').insert({
        public_id: publicId('C'),
        name: input.name,
        type: input.type,
        team_id: input.teamId,
        token: linkToken(),
        heartbeat_id: heartbeatId,
        created_at: t,
      });
      const row = (await tx('cloud_integrations').where({ name: input.name }).first()) as Row;
      return { integration: toIntegration(row), created: true };
    });
  }

  async heartbeatName(integration: CloudIntegration): Promise<string | null> {
    if (integration.heartbeatId === null) return null;
    const r = (await this.db('heartbeats').where({ id: integration.heartbeatId }).select('name').first()) as { name: string } | undefined;
    return r?.name ?? null;
  }
}
