/**
 * Where the hotline's incidents come from: OnCall's firing and acknowledged alert groups, newest
 * first, reused for a few seconds so a burst of callers asks OnCall once. When OnCall cannot be
 * reached (or is not configured) the caller hears dozvon's own pages of the last 24 hours that
 * came from OnCall instead (never test calls, heartbeat or shift notices, self-check alerts).
 */
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { parseIsoMs } from '../core/time';
import type { Notification, NotificationsRepo } from '../db/notifications-repo';
import type { AlertGroup, OnCallClient } from '../oncall/index';
import { factsFromMessage, labelsOf, parseMessage, summarize, findHost } from '../oncall/index';
import type { Spoken } from '../oncall/index';
import { plainText } from '../oncall/text';
import { ONCALL_SOURCES } from '../cloud/intake';

export interface HotlineIncident {
  /** OnCall's alert group, when known: what digit 5 acknowledges. */
  alertGroupId: string | null;
  title: string;
  /** The summary the caller hears. */
  spoken: Spoken;
  startedAt: number;
}

export interface IncidentList {
  source: 'oncall' | 'local';
  /** Why OnCall was not used (null when it was). */
  oncallError: string | null;
  incidents: HotlineIncident[];
}

export interface IncidentSourceOptions {
  client: OnCallClient | null;
  pages: Pick<NotificationsRepo, 'listRecent'>;
  clock: Clock;
  logger: Logger;
  fqdnRegex?: RegExp;
  /** Default 10 000. */
  cacheMs?: number;
  /** Budget for the OnCall reads; default 4000. */
  timeoutMs?: number;
  /** Fallback window; default 24 h. */
  localWindowMs?: number;
}

const LOCAL_LIMIT = 200;

export class IncidentSource {
  private cached: { at: number; list: IncidentList } | null = null;
  private inflight: Promise<IncidentList> | null = null;
  private readonly integrationNames = new Map<string, string>();
  private readonly log: Logger;

  constructor(private readonly o: IncidentSourceOptions) {
    this.log = o.logger.child({ mod: 'hotline-incidents' });
  }

  /** Never rejects: the local list is the answer of last resort. */
  list(): Promise<IncidentList> {
    const now = this.o.clock.now();
    if (this.cached && now - this.cached.at < (this.o.cacheMs ?? 10_000)) return Promise.resolve(this.cached.list);
    // Callers arriving while a read is under way share it.
    this.inflight ??= this.load()
      .then((list) => {
        this.cached = { at: this.o.clock.now(), list };
        return list;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** After an acknowledge: the next caller must hear the new state. */
  invalidate(): void {
    this.cached = null;
  }

  private async load(): Promise<IncidentList> {
    if (!this.o.client) return this.local('OnCall is not configured');
    const ctl = new AbortController();
    const timer = this.o.clock.setTimeout(() => ctl.abort(new Error('OnCall read deadline')), this.o.timeoutMs ?? 4000);
    try {
      return { source: 'oncall', oncallError: null, incidents: await this.fromOnCall(this.o.client, ctl.signal) };
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'OnCall unreachable: reading local pages');
      return this.local(errorMessage(err));
    } finally {
      timer.cancel();
    }
  }

  private async fromOnCall(client: OnCallClient, signal: AbortSignal): Promise<HotlineIncident[]> {
    const opts = { signal, retries: 0 };
    const [firing, acked] = await Promise.all([
      client.listAlertGroups({ state: 'new', maxPages: 1 }, opts),
      client.listAlertGroups({ state: 'acknowledged', maxPages: 1 }, opts),
    ]);
    const now = this.o.clock.now();
    const groups = [...new Map([...firing, ...acked].map((g) => [g.id, g])).values()];
    const out = await Promise.all(
      groups.map(async (g) => this.fromGroup(g, await this.integrationName(client, g.integration_id, signal), now)),
    );
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }

  private fromGroup(g: AlertGroup, integration: string | null, now: number): HotlineIncident {
    const title = g.title ? plainText(g.title) : '';
    const labels = labelsOf(g);
    const startedAt = parseIsoMs(g.created_at) ?? now;
    const summary = summarize(
      {
        alertGroupId: g.id,
        correlation: 'exact',
        title: title || null,
        integration,
        host: this.o.fqdnRegex ? findHost(this.o.fqdnRegex, [title], g.last_alert?.payload) : null,
        alertsCount: g.alerts_count,
        startedAt,
        state: g.state,
        acknowledgedBy: null,
        severity: labels.severity ?? null,
        labels,
        permalink: g.permalinks?.web ?? null,
        message: title,
        parsedKind: 'phone',
      },
      now,
    );
    return { alertGroupId: g.id, title: title || 'Incident', spoken: summary.sentences, startedAt };
  }

  /** Integration names change rarely: one lookup each for the life of the process; none is fine. */
  private async integrationName(client: OnCallClient, id: string, signal: AbortSignal): Promise<string | null> {
    const known = this.integrationNames.get(id);
    if (known) return known;
    try {
      const name = (await client.getIntegration(id, { signal, retries: 0 })).name;
      this.integrationNames.set(id, name);
      return name;
    } catch (err) {
      if (signal.aborted) throw err;
      this.log.debug({ err: errorMessage(err) }, 'integration name unavailable');
      return null;
    }
  }

  private async local(reason: string): Promise<IncidentList> {
    const now = this.o.clock.now();
    let rows: Notification[] = [];
    try {
      rows = await this.o.pages.listRecent(LOCAL_LIMIT);
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'local pages unreadable');
    }
    const since = now - (this.o.localWindowMs ?? 24 * 3600_000);
    const seen = new Set<string>();
    const incidents: HotlineIncident[] = [];
    // listRecent is newest first; one page sent to several people is one incident.
    // Only OnCall's pages are incidents: test calls, heartbeat and shift notices, self-check alerts are not.
    const incidentPages = rows.filter((r) => r.receivedAt >= since && (ONCALL_SOURCES as readonly string[]).includes(r.source));
    for (const n of incidentPages.sort((a, b) => b.receivedAt - a.receivedAt)) {
      const key = n.alertGroupId ?? n.message;
      if (seen.has(key)) continue;
      seen.add(key);
      incidents.push(this.fromPage(n, now));
    }
    return { source: 'local', oncallError: reason, incidents };
  }

  private fromPage(n: Notification, now: number): HotlineIncident {
    const parsed = parseMessage(n.message);
    const facts = factsFromMessage(
      parsed,
      n.alertGroupId ? 'exact' : 'none',
      this.o.fqdnRegex ? findHost(this.o.fqdnRegex, [parsed.title, n.message]) : null,
    );
    const summary = summarize({ ...facts, alertGroupId: n.alertGroupId, startedAt: n.receivedAt }, now);
    return {
      alertGroupId: n.alertGroupId,
      title: facts.title ?? (plainText(n.message).slice(0, 120) || 'Incident'),
      spoken: summary.sentences,
      startedAt: n.receivedAt,
    };
  }
}
