/**
 * Gathers the facts for a summary from OnCall (integration name, who acknowledged, the last
 * alert's payload for the host) under a deadline. Every lookup is optional: a failure just
 * leaves that fact out, the call goes ahead.
 */
import { SystemClock, type Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { silentLogger, type Logger } from '../core/log';
import { parseIsoMs } from '../core/time';
import type { OnCallClient } from './client';
import type { CorrelationResult } from './correlate';
import { factsFromMessage, summarize, type Summary, type SummaryFacts } from './summary';
import { plainText } from './text';
import type { AlertGroup, OnCallUser } from './types';

export interface EnricherOptions {
  client: OnCallClient | null;
  /** Config.fqdnRegex: its first match in title, message or payload is the host. */
  fqdnRegex: RegExp;
  clock?: Clock;
  logger?: Logger;
  /** Our directory's name for an OnCall user (by email), e.g. "Alice Smith"; default their username. */
  nameOf?: (email: string) => Promise<string | null>;
  /** Budget for all lookups; default 2000 ms. */
  timeoutMs?: number;
}

/** Payload keys that usually hold the host, looked at before any other value. */
const HOST_KEYS = ['fqdn', 'host', 'hostname', 'instance', 'nodename', 'node', 'server', 'target'];

export class Enricher {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly integrationNames = new Map<string, string>();

  constructor(private readonly o: EnricherOptions) {
    this.clock = o.clock ?? new SystemClock();
    this.log = (o.logger ?? silentLogger()).child({ mod: 'enrich' });
  }

  /** Summary of one correlated notification, sentences rendered for `now` (default: the clock's now). */
  async summarize(c: CorrelationResult, now = this.clock.now(), signal?: AbortSignal): Promise<Summary> {
    const base = factsFromMessage(c.parsed, c.correlation, null);
    if (!c.group)
      return summarize({ ...base, alertGroupId: c.alertGroupId, host: findHost(this.o.fqdnRegex, [base.title, base.message]) }, now);
    const ctl = new AbortController();
    const timer = this.clock.setTimeout(() => ctl.abort(new Error('enrichment deadline')), this.o.timeoutMs ?? 2000);
    const onAbort = () => ctl.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return summarize(await this.fromGroup(c.group, base, ctl.signal), now);
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async fromGroup(g: AlertGroup, base: SummaryFacts, signal: AbortSignal): Promise<SummaryFacts> {
    const [integration, ackBy, payload] = await Promise.all([
      base.integration
        ? Promise.resolve(base.integration)
        : this.optional('integration', () => this.integrationName(g.integration_id, signal)),
      g.acknowledged_by ? this.optional('acknowledged_by', () => this.userName(g.acknowledged_by!, signal)) : Promise.resolve(null),
      g.last_alert
        ? Promise.resolve(g.last_alert.payload)
        : this.optional('last alert', async () => (await this.o.client!.listAlerts(g.id, { signal, retries: 0 }))[0]?.payload ?? null),
    ]);
    const labels = labelsOf(g);
    const title = g.title ? plainText(g.title) || null : base.title;
    return {
      ...base,
      alertGroupId: g.id,
      title,
      integration,
      host: findHost(this.o.fqdnRegex, [title, base.message], payload),
      alertsCount: g.alerts_count,
      startedAt: parseIsoMs(g.created_at),
      state: g.state,
      acknowledgedBy: ackBy,
      severity: labels.severity ?? findKey(payload, 'severity'),
      labels,
      permalink: g.permalinks?.web ?? base.permalink,
    };
  }

  private async optional<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
    if (!this.o.client) return null;
    try {
      return await fn();
    } catch (err) {
      this.log.warn({ what, err: errorMessage(err) }, 'enrichment lookup failed; leaving it out');
      return null;
    }
  }

  private async integrationName(id: string, signal: AbortSignal): Promise<string> {
    const cached = this.integrationNames.get(id);
    if (cached) return cached;
    const i = await this.o.client!.getIntegration(id, { signal, retries: 0 });
    this.integrationNames.set(id, i.name);
    return i.name;
  }

  private async userName(id: string, signal: AbortSignal): Promise<string> {
    const u: OnCallUser = await this.o.client!.getUser(id, { signal, retries: 0 });
    return (this.o.nameOf ? await this.o.nameOf(u.email) : null) ?? u.username;
  }
}

/** `labels` is a list of {key, value} normally, a flat dict in webhook payloads with the labels feature. */
export function labelsOf(g: Pick<AlertGroup, 'labels'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(g.labels)) for (const l of g.labels) out[l.key?.name ?? l.key?.id] = l.value?.name ?? l.value?.id;
  else if (g.labels && typeof g.labels === 'object') Object.assign(out, g.labels);
  return out;
}

/** First match of the FQDN regex in the texts, then in the payload (host-like keys first). */
export function findHost(re: RegExp, texts: (string | null | undefined)[], payload?: unknown): string | null {
  const once = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  for (const t of texts) {
    const m = t ? once.exec(t) : null;
    if (m) return m[0];
  }
  const values = payloadStrings(payload);
  for (const [, v] of [...values.filter(([k]) => HOST_KEYS.includes(k.toLowerCase())), ...values]) {
    const m = once.exec(v);
    if (m) return m[0];
  }
  return null;
}

function payloadStrings(p: unknown, key = '', out: [string, string][] = [], depth = 0): [string, string][] {
  if (depth > 6 || out.length > 500) return out;
  if (typeof p === 'string') out.push([key, stripUrlsExceptHost(p)]);
  else if (Array.isArray(p)) for (const x of p) payloadStrings(x, key, out, depth + 1);
  else if (p && typeof p === 'object') for (const [k, v] of Object.entries(p)) payloadStrings(v, k, out, depth + 1);
  return out;
}

/** Links in payloads point at Grafana, not at the broken host: leave them out of the search. */
function stripUrlsExceptHost(s: string): string {
  return s.replace(/\bhttps?:\/\/\S+/g, ' ');
}

function findKey(p: unknown, key: string, depth = 0): string | null {
  if (!p || typeof p !== 'object' || depth > 6) return null;
  for (const [k, v] of Object.entries(p)) {
    if (k.toLowerCase() === key && (typeof v === 'string' || typeof v === 'number')) return String(v);
  }
  for (const v of Object.values(p)) {
    const found = findKey(v, key, depth + 1);
    if (found) return found;
  }
  return null;
}
