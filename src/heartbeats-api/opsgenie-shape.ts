/** Opsgenie Heartbeat API v2 bodies: request validation and the heartbeat object as Opsgenie returns it. */
import { z } from '../core/validate';
import { parseDuration } from '../watchers/duration';
import { alertTitle, Heartbeat, HeartbeatInput, HeartbeatPatch, isExpired, OpsgenieFields } from '../watchers/heartbeats';

const UNIT_S = { minutes: 60, hours: 3600, days: 86400 } as const;
/** Reported units: a period that is no whole number of minutes (a 20 s heartbeat) is reported in seconds, as configured. */
const REPORTED_UNIT_S = { seconds: 1, ...UNIT_S } as const;
/** Opsgenie checks "up to once per minute"; a minute of grace keeps our exact timers from being stricter than that. */
export const OPSGENIE_DEFAULT_GRACE_S = 60;
const DESCRIPTION_COLUMN = 500;

const graceField = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== null, 'not a duration (e.g. 90s, 5m)');

const fields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/]+$/, 'must not contain "/"'),
  description: z.string().max(10_000),
  interval: z.number().int().min(1),
  intervalUnit: z.enum(['minutes', 'hours', 'days']),
  enabled: z.boolean(),
  ownerTeam: z.object({ id: z.string().optional(), name: z.string().optional() }),
  alertMessage: z.string().max(130),
  alertTags: z.array(z.string().max(50)).max(20),
  alertPriority: z.enum(['P1', 'P2', 'P3', 'P4', 'P5']),
  /** dozvon extensions that Opsgenie clients never send. */
  grace: graceField,
  page: z.array(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'not an e-mail address')),
};

export const createSchema = z.object({
  name: fields.name,
  description: fields.description.optional(),
  interval: fields.interval,
  intervalUnit: fields.intervalUnit,
  enabled: fields.enabled,
  ownerTeam: fields.ownerTeam.optional(),
  alertMessage: fields.alertMessage.optional(),
  alertTags: fields.alertTags.optional(),
  alertPriority: fields.alertPriority.optional(),
  grace: fields.grace.optional(),
  page: fields.page.optional(),
});

export const patchSchema = createSchema.partial();

type CreateBody = z.infer<typeof createSchema>;
type PatchBody = z.infer<typeof patchSchema>;

function options(base: OpsgenieFields, b: PatchBody): OpsgenieFields {
  const o: OpsgenieFields & { description?: string } = { ...base };
  if (b.interval !== undefined) o.interval = b.interval;
  if (b.intervalUnit !== undefined) o.intervalUnit = b.intervalUnit;
  if (b.ownerTeam !== undefined) o.ownerTeam = b.ownerTeam;
  if (b.alertMessage !== undefined) o.alertMessage = b.alertMessage;
  if (b.alertTags !== undefined) o.alertTags = b.alertTags;
  if (b.alertPriority !== undefined) o.alertPriority = b.alertPriority;
  // The column holds 500 characters; Opsgenie allows 10 000, so the full text lives in options.
  if (b.description !== undefined) o.description = b.description.length > DESCRIPTION_COLUMN ? b.description : undefined;
  return o;
}

export function toInput(b: CreateBody): HeartbeatInput {
  return {
    name: b.name,
    kind: 'opsgenie',
    periodS: b.interval * UNIT_S[b.intervalUnit],
    graceS: b.grace === undefined ? OPSGENIE_DEFAULT_GRACE_S : Math.round(parseDuration(b.grace)! / 1000),
    enabled: b.enabled,
    page: b.page ?? [],
    description: b.description?.slice(0, DESCRIPTION_COLUMN) ?? null,
    options: options({}, b),
  };
}

export function toPatch(hb: Heartbeat, b: PatchBody): HeartbeatPatch {
  const p: HeartbeatPatch = { options: options(hb.options, b) };
  if (b.interval !== undefined || b.intervalUnit !== undefined) {
    const cur = intervalOf(hb);
    p.periodS = b.intervalUnit
      ? (b.interval ?? cur.interval) * UNIT_S[b.intervalUnit]
      : (b.interval ?? cur.interval) * REPORTED_UNIT_S[cur.intervalUnit];
  }
  if (b.grace !== undefined) p.graceS = Math.round(parseDuration(b.grace)! / 1000);
  if (b.enabled !== undefined) p.enabled = b.enabled;
  if (b.page !== undefined) p.page = b.page;
  if (b.description !== undefined) p.description = b.description.slice(0, DESCRIPTION_COLUMN);
  return p;
}

/** What the sender created, or the closest Opsgenie unit for heartbeats made elsewhere. */
function intervalOf(hb: Heartbeat): { interval: number; intervalUnit: keyof typeof REPORTED_UNIT_S } {
  const o = hb.options;
  if (o.interval !== undefined && o.intervalUnit !== undefined && o.interval * UNIT_S[o.intervalUnit] === hb.periodS)
    return { interval: o.interval, intervalUnit: o.intervalUnit };
  if (hb.periodS % 86400 === 0) return { interval: hb.periodS / 86400, intervalUnit: 'days' };
  if (hb.periodS % 3600 === 0) return { interval: hb.periodS / 3600, intervalUnit: 'hours' };
  if (hb.periodS % 60 === 0) return { interval: hb.periodS / 60, intervalUnit: 'minutes' };
  // Rounding 20 s up to "1 minute" would misstate when the heartbeat expires.
  return { interval: hb.periodS, intervalUnit: 'seconds' };
}

/** GET /v2/heartbeats/{name} `data`, plus a `dozvon` block Opsgenie clients ignore. */
export function heartbeatObject(hb: Heartbeat): Record<string, unknown> {
  const o = hb.options as OpsgenieFields & { description?: string };
  const out: Record<string, unknown> = {
    name: hb.name,
    description: o.description ?? hb.description ?? '',
    ...intervalOf(hb),
    enabled: hb.enabled,
    expired: isExpired(hb),
  };
  if (hb.lastPingAt !== null) out.lastPingTime = new Date(hb.lastPingAt).toISOString();
  if (o.ownerTeam) out.ownerTeam = o.ownerTeam;
  out.alertMessage = alertTitle(hb);
  out.alertTags = o.alertTags ?? [];
  out.alertPriority = o.alertPriority ?? 'P3';
  out.dozvon = { kind: hb.kind, state: hb.state, periodSeconds: hb.periodS, graceSeconds: hb.graceS, page: hb.page };
  return out;
}

export function infoObject(hb: Heartbeat): { name: string; enabled: boolean; expired: boolean } {
  return { name: hb.name, enabled: hb.enabled, expired: isExpired(hb) };
}
