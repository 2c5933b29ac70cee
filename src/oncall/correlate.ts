/**
 * Which alert group a notification is about, best evidence first (docs/oncall.md):
 * an id we were given (webhook) or found (permalink / pk) → exact; a page we created → exact;
 * the one recent firing group whose title is the message's title → matched; otherwise none.
 * A digit acts on the group we name here, so a guess is never good enough: without title
 * evidence ("the one group of that integration with that many alerts") the page is `none`, the
 * call reads the message as OnCall sent it and acts on nothing. It never blocks a call: a
 * deadline, OnCall errors or ambiguity all end in `none`.
 */
import { SystemClock, type Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { silentLogger, type Logger, maskEmail } from '../core/log';
import type { OnCallClient } from './client';
import { parseMessage, type ParsedMessage } from './parse';
import type { PageStore } from './page-store';
import { OnCallError } from './http-request';
import { titleKey } from './text';
import type { AlertGroup, OnCallIntegration } from './types';

export type CorrelationKind = 'exact' | 'matched' | 'none';

export interface CorrelateInput {
  message: string;
  alertGroupId?: string | null;
  email: string;
  receivedAt: number;
}

export interface CorrelationResult {
  alertGroupId: string | null;
  correlation: CorrelationKind;
  /** The group as read during correlation (absent when OnCall could not be read). */
  group?: AlertGroup;
  parsed: ParsedMessage;
  via: 'webhook' | 'link' | 'own-page' | 'lookup' | 'none';
  /** Why it is `none` or why the group is missing, for logs and the admin API. */
  reason?: string;
}

export interface CorrelatorOptions {
  client: OnCallClient | null;
  pages: PageStore;
  clock?: Clock;
  logger?: Logger;
  /** Overall budget; default 2500 ms. */
  timeoutMs?: number;
  /** How far back a firing group may have started; default 2 h. */
  lookbackMs?: number;
  /** How long a page we created waits for its make_call; default 15 min. */
  pageWindowMs?: number;
}

export class Correlator {
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly o: CorrelatorOptions) {
    this.clock = o.clock ?? new SystemClock();
    this.log = (o.logger ?? silentLogger()).child({ mod: 'correlate' });
  }

  async correlate(input: CorrelateInput, signal?: AbortSignal): Promise<CorrelationResult> {
    const parsed = parseMessage(input.message);
    const ctl = new AbortController();
    const timer = this.clock.setTimeout(() => ctl.abort(new Error('correlation deadline')), this.o.timeoutMs ?? 2500);
    const onAbort = () => ctl.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.run(input, parsed, ctl.signal);
      this.log.info(
        {
          email: maskEmail(input.email),
          alertGroupId: result.alertGroupId,
          correlation: result.correlation,
          via: result.via,
          reason: result.reason,
        },
        'correlated',
      );
      return result;
    } catch (err) {
      const reason = ctl.signal.aborted ? 'deadline reached' : errorMessage(err);
      this.log.warn({ email: maskEmail(input.email), reason }, 'correlation gave up');
      return {
        alertGroupId: input.alertGroupId ?? null,
        correlation: input.alertGroupId ? 'exact' : 'none',
        parsed,
        via: input.alertGroupId ? 'webhook' : 'none',
        reason,
      };
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async run(input: CorrelateInput, parsed: ParsedMessage, signal: AbortSignal): Promise<CorrelationResult> {
    if (input.alertGroupId) {
      const { group, reason } = await this.fetch(input.alertGroupId, signal);
      return { alertGroupId: input.alertGroupId, correlation: 'exact', group, parsed, via: 'webhook', reason };
    }
    if (parsed.alertGroupId) {
      const { group, reason, missing } = await this.fetch(parsed.alertGroupId, signal);
      // A bare pk that OnCall does not know was a word that looked like one; a permalink is trusted.
      if (!(missing && !parsed.permalink))
        return { alertGroupId: parsed.alertGroupId, correlation: 'exact', group, parsed, via: 'link', reason };
    }
    const own = await this.takeOwnPage(input);
    if (own) {
      const { group, reason } = await this.fetch(own, signal);
      return { alertGroupId: own, correlation: 'exact', group, parsed, via: 'own-page', reason };
    }
    if (!this.o.client) return none(parsed, 'OnCall API not configured');
    return this.lookup(input, parsed, signal);
  }

  /** A store that cannot be read only costs the exact match: the lookup below still runs. */
  private async takeOwnPage(input: CorrelateInput): Promise<string | null> {
    try {
      return await this.o.pages.take(input.email, input.receivedAt, this.o.pageWindowMs ?? 15 * 60_000);
    } catch (err) {
      this.log.warn({ email: maskEmail(input.email), err: errorMessage(err) }, 'remembered pages could not be read');
      return null;
    }
  }

  private async fetch(id: string, signal: AbortSignal): Promise<{ group?: AlertGroup; reason?: string; missing?: boolean }> {
    if (!this.o.client) return { reason: 'OnCall API not configured' };
    try {
      return { group: await this.o.client.getAlertGroup(id, { signal, retries: 0 }) };
    } catch (err) {
      if (signal.aborted) throw err;
      return { reason: errorMessage(err), missing: err instanceof OnCallError && err.status === 404 };
    }
  }

  /** The last resort, as OnCall's public API exposes no incident number: recent firing groups matched on title, narrowed by integration and alert count. */
  private async lookup(input: CorrelateInput, parsed: ParsedMessage, signal: AbortSignal): Promise<CorrelationResult> {
    if (parsed.kind === 'custom' || parsed.kind === 'sms-bundle') return none(parsed, `a ${parsed.kind} message carries no title to match`);
    const client = this.o.client!;
    const from = input.receivedAt - (this.o.lookbackMs ?? 2 * 3600_000);
    const [groups, integrations] = await Promise.all([
      client.listAlertGroups({ state: 'new', startedAt: { from, to: input.receivedAt + 60_000 }, maxPages: 4 }, { signal, retries: 0 }),
      client.listIntegrations({}, { signal, retries: 0 }),
    ]);
    const match = pickCandidate(groups, integrations, parsed);
    if (!match.group) return none(parsed, match.reason);
    return { alertGroupId: match.group.id, correlation: 'matched', group: match.group, parsed, via: 'lookup' };
  }
}

function none(parsed: ParsedMessage, reason: string): CorrelationResult {
  return { alertGroupId: null, correlation: 'none', parsed, via: 'none', reason };
}

/** Does OnCall's printed short name belong to this integration? (`<name>` or `<name> - <type title>`.) */
function integrationMatches(shortName: string, i: OnCallIntegration): boolean {
  const s = shortName.replace(/ \(Deleted\)$/, '');
  return s === i.name || s.startsWith(`${i.name} - `);
}

/** The group whose title matches the message's, if exactly one does; never a group chosen for its shape alone. */
export function pickCandidate(
  groups: AlertGroup[],
  integrations: OnCallIntegration[],
  parsed: ParsedMessage,
): { group?: AlertGroup; reason: string } {
  let cands = groups.filter((g) => g.state === 'firing');
  if (parsed.integration) {
    const ids = new Set(integrations.filter((i) => integrationMatches(parsed.integration!, i)).map((i) => i.id));
    if (ids.size === 0) return { reason: `no integration named like "${parsed.integration}"` };
    cands = cands.filter((g) => ids.has(g.integration_id));
  }
  const count = parsed.alertCount;
  // Alerts may have arrived since OnCall rendered the message, never fewer.
  if (count !== null) cands = cands.filter((g) => g.alerts_count >= count);
  const key = titleKey(parsed.title);
  if (!key) return { reason: 'the message carries no title to match' };
  const byTitle = cands.filter((g) => titleKey(g.title) === key);
  // Phone titles of some integrations differ from the web title (label values, "Incident").
  // Then no group is named, even if only one firing group of that integration has that many
  // alerts: acknowledging it could silence an unrelated incident. A template with
  // {{ grafana_oncall_link }} correlates those exactly (docs/oncall.md).
  if (byTitle.length === 0)
    return { reason: cands.length ? `no title match among ${cands.length} candidate group(s)` : 'no firing group matches' };
  if (byTitle.length === 1) return { group: byTitle[0], reason: 'title' };
  const exactCount = count === null ? [] : byTitle.filter((g) => g.alerts_count === count);
  if (exactCount.length === 1) return { group: exactCount[0], reason: 'title and alert count' };
  return { reason: `ambiguous: ${byTitle.length} groups with that title` };
}
