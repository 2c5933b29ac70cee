/**
 * Opsgenie Alert API bodies. Over-long strings are cut, not refused (Alertmanager and Grafana
 * cut only the message themselves), and "" counts as absent (Alertmanager sends empty rendered
 * templates, the Go SDK empty usernames). What cannot be read as meant is a 422 naming the field.
 */
import { z } from '../core/validate';
import { PRIORITIES, type Alert, type AlertInput } from '../alerts/types';
import type { Responder } from '../alerts/responders';

const cut = (max: number) => z.string().transform((s) => s.slice(0, max));
/** An optional string where "" means "not given". */
const opt = (max: number) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), cut(max).optional()) as unknown as z.ZodOptional<z.ZodString>;

const responder = z
  .object({
    // Alertmanager lowercases the type only for its own validation and sends it as written.
    type: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['user', 'team', 'escalation', 'schedule'])),
    id: opt(200),
    name: opt(200),
    username: opt(200),
  })
  .refine((r) => r.id || r.name || r.username, 'needs an id, a name or a username')
  .transform((r): Responder => ({ ...r }));

const details = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), { error: 'must be an object of strings' })
  .transform((d) => {
    // 8 000 characters in all: keys past the budget are dropped whole rather than cut mid-value.
    const out: Record<string, string> = {};
    let used = 0;
    for (const [k, v] of Object.entries(d)) {
      const s = String(v);
      used += k.length + s.length;
      if (used > 8000) break;
      out[k] = s;
    }
    return out;
  });

const list = (item: z.ZodTypeAny, max: number) => z.array(item).transform((a) => a.slice(0, max));
const tagLike = z.string().transform((s) => s.slice(0, 50));

export const createSchema = z.object({
  message: z
    .string({ error: 'Message can not be empty.' })
    .trim()
    .min(1, 'Message can not be empty.')
    .transform((s) => s.slice(0, 130)),
  alias: opt(512),
  description: opt(15_000),
  responders: list(responder, 50).optional(),
  visibleTo: list(responder, 50).optional(),
  actions: list(tagLike, 10).optional(),
  tags: list(tagLike, 20).optional(),
  details: details.optional(),
  entity: opt(512),
  source: opt(100),
  priority: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(PRIORITIES, { error: 'should be one of P1, P2, P3, P4, P5' }).optional(),
  ),
  user: opt(100),
  note: opt(25_000),
});

export function toInput(b: z.infer<typeof createSchema>, callerAddress: string): AlertInput {
  const out: AlertInput = { message: b.message };
  for (const [k, v] of Object.entries(b)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  // Opsgenie's default source is the caller's address.
  out.source = b.source ?? callerAddress.slice(0, 100);
  return out;
}

const common = { user: opt(100), source: opt(100), note: opt(25_000) };
export const actionSchema = z.object(common).passthrough();
export const noteSchema = z.object({
  ...common,
  note: z
    .string({ error: 'Note can not be empty.' })
    .min(1, 'Note can not be empty.')
    .transform((s) => s.slice(0, 25_000)),
});
export const snoozeSchema = z.object({
  ...common,
  endTime: z
    .string({ error: 'endTime is required' })
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 time')
    .transform((s) => Date.parse(s)),
});
export const escalateSchema = z.object({
  ...common,
  escalation: z
    .object({ id: opt(200), name: opt(200) }, { error: 'escalation is required' })
    .refine((e) => e.id || e.name, 'needs an id or a name'),
});
export const assignSchema = z.object({
  ...common,
  owner: z
    .object({ id: opt(200), username: opt(200) }, { error: 'owner is required' })
    .refine((o) => o.id || o.username, 'needs an id or a username'),
});

/** PUT /v2/alerts/{id}/message|description|priority: the one field, required. */
export const UPDATES: Record<string, z.ZodTypeAny> = {
  message: z.object({
    ...common,
    message: z
      .string({ error: 'Message can not be empty.' })
      .trim()
      .min(1, 'Message can not be empty.')
      .transform((s) => s.slice(0, 130)),
  }),
  description: z.object({ ...common, description: z.string({ error: 'description is required' }).transform((s) => s.slice(0, 15_000)) }),
  priority: z.object({ ...common, priority: z.enum(PRIORITIES, { error: 'should be one of P1, P2, P3, P4, P5' }) }),
};

export const IDENTIFIER_TYPES = { id: 'id', alias: 'alias', tiny: 'tiny' } as const;

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

/** GET /v2/alerts list item (Opsgenie's BaseAlert). */
export function baseAlert(a: Alert, integrationName: (id: string | null) => string): Record<string, unknown> {
  const report: Record<string, unknown> = {};
  if (a.ackedAt !== null) report.ackTime = a.ackedAt - a.createdAt;
  if (a.closedAt !== null) report.closeTime = a.closedAt - a.createdAt;
  if (a.ackedBy) report.acknowledgedBy = a.ackedBy;
  if (a.closedBy) report.closedBy = a.closedBy;
  return {
    id: a.id,
    tinyId: String(a.tinyId),
    alias: a.alias,
    message: a.message,
    status: a.status,
    acknowledged: a.acknowledged,
    isSeen: a.acknowledged,
    tags: a.tags,
    snoozed: a.snoozedUntil !== null && a.status === 'open',
    ...(a.snoozedUntil !== null ? { snoozedUntil: iso(a.snoozedUntil) } : {}),
    count: a.count,
    lastOccurredAt: iso(a.lastOccurredAt),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    source: a.source,
    owner: a.owner,
    priority: a.priority,
    responders: a.responders,
    integration: { id: a.integrationId ?? '', name: integrationName(a.integrationId), type: 'API' },
    report,
    ...(a.team ? { ownerTeamId: a.team } : {}),
  };
}

/** GET /v2/alerts/{identifier}: the base alert plus what lists leave out. */
export function fullAlert(a: Alert, integrationName: (id: string | null) => string): Record<string, unknown> {
  return {
    ...baseAlert(a, integrationName),
    actions: a.actions,
    entity: a.entity,
    description: a.description,
    details: a.details,
    visibleTo: a.visibleTo,
  };
}
