/**
 * POST/GET api/v1/integrations: OnCall creates its heartbeat integration here. Creation is
 * idempotent by name (201 with the same id and link), which fixes the engine's broken
 * re-creation against the real cloud (which no longer sends the "already exists" text the engine looks for). Every 400 carries `detail`.
 */
import { Router, RouterT } from '../http/express';
import type { CloudDeps } from './deps';
import type { CloudIntegration } from '../db/cloud-integrations-repo';
import { bodyObject, FieldErrors, hasErrors, stringField } from './fields';
import { BODY_LIMITS, parseBody, sendDetailBodyError } from '../http/body';

// The integration types OnCall's public API knows; the engine only ever sends formatted_webhook.
const TYPES = new Set([
  'formatted_webhook',
  'webhook',
  'alertmanager',
  'grafana_alerting',
  'grafana',
  'heartbeat',
  'direct_paging',
  'inbound_email',
  'maintenance',
  'manual',
  'legacy_alertmanager',
  'legacy_grafana_alerting',
]);

export function integrationView(i: CloudIntegration, publicUrl: string): Record<string, unknown> {
  const link = new URL(`integrations/v1/${i.type}/${i.token}/`, publicUrl).toString();
  return {
    id: i.publicId,
    name: i.name,
    description_short: null,
    team_id: i.teamId,
    link,
    inbound_email: null,
    type: i.type,
    templates: {},
    heartbeat: { link: `${link}heartbeat/` },
    maintenance_mode: null,
    maintenance_started_at: null,
    maintenance_end_at: null,
  };
}

export function integrationsRouter(deps: Pick<CloudDeps, 'config' | 'integrations' | 'logger'>): RouterT {
  const r = Router({ strict: false });

  r.post('/api/v1/integrations', parseBody(BODY_LIMITS.oncallForm, sendDetailBodyError), async (req, res) => {
    const body = bodyObject(req.body);
    const errors: FieldErrors = {};
    const type = stringField(body, 'type', errors, { max: 50 });
    // 200: the integration's heartbeat takes its name, and heartbeats.name holds 200 characters.
    const name = stringField(body, 'name', errors, { max: 200 });
    const teamId = stringField(body, 'team_id', errors, { max: 50, required: false });
    if (type !== undefined && !TYPES.has(type)) errors.type = [`"${type.slice(0, 60)}" is not a valid choice.`];
    if (hasErrors(errors)) {
      res.status(400).json({
        detail: Object.entries(errors)
          .map(([k, v]) => `${k}: ${v.join(' ')}`)
          .join('; '),
        ...errors,
      });
      return;
    }
    const { integration, created } = await deps.integrations.createOrGet({
      name: name!.trim(),
      type: type!,
      teamId: teamId?.trim() || null,
    });
    if (!created && integration.type !== type) {
      // Same name, different type: answer the legacy text, which makes the engine look the integration up by name.
      res.status(400).json({ detail: 'Integration with this name already exists' });
      return;
    }
    deps.logger.info({ integration: integration.publicId, created }, created ? 'integration created' : 'integration returned (idempotent)');
    res.status(201).json(integrationView(integration, deps.config.publicUrl));
  });

  r.get('/api/v1/integrations', async (req, res) => {
    const nameQ = req.query.name;
    const name = typeof nameQ === 'string' ? nameQ : undefined;
    const list = await deps.integrations.list(name);
    res.status(200).json({
      count: list.length,
      next: null,
      previous: null,
      results: list.map((i) => integrationView(i, deps.config.publicUrl)),
      current_page_number: 1,
      page_size: 50,
      total_pages: 1,
    });
  });
  return r;
}
