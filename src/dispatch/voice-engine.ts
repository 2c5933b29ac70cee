/**
 * The voice path of the dispatch engine. Claims due call pages with a lease, bundles every
 * due page of one person into one call, runs the call, records the attempt, and decides:
 * delivered (a digit was pressed), retry later (src/dispatch/policy.ts), or hand over to SMS/push.
 * Wakes on enqueue; a sweep every few seconds picks up retries and expired leases.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';
import type { NotificationsRepo, Notification, Attempt, VoiceHistoryItem } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { User } from '../directory/user';
import { decideRetry, RetryPolicy, DEFAULT_RETRY } from './policy';
import { RateLimiter } from './limiter';
import { DialingGate } from './dialing-gate';
import type { OwnPageSettledCheck, Preparer, SettledCheck, VoiceFallback } from './voice-types';
import type { AttemptOutcome, CallRunner, CallReport, PreparedPage } from '../ivr/call-types';
import { voiceHold, DEFAULT_LIMITS, Limits } from '../limits';
import { callWaits, earlierVoiceAttempts } from './call-waits';
import { telephonyHold, TelephonyState, TELEPHONY_RECHECK_MS } from './telephony-wait';
import { claimBurst, type BurstReads, type ClaimedCall } from './burst-claim';
import { Arrivals } from './arrivals';

export const VOICE_KINDS = ['call', 'webhook'] as const;

/** How long a first call's preparation may take (it runs while the phone rings and is answered). */
const RING_FIRST_PREPARE_MS = 10_000;
/** A retry is dialled after its preparation (to skip incidents settled meanwhile): keep that short. */
const RETRY_PREPARE_MS = 3_000;
/** One call reads out at most this many of a person's pages; the rest wait for the next call. */
const PAGES_PER_CALL = 21;

/** A page as it stands before preparation: what the limits and the dial need, nothing more. */
function unprepared(n: Notification, lang: User['lang']): PreparedPage {
  return {
    notification: n,
    alertGroupId: n.alertGroupId,
    correlation: n.alertGroupId ? 'exact' : 'none',
    text: n.message,
    lang,
    summary: null,
  };
}

export interface VoiceEngineOptions {
  instanceId: string;
  maxCalls: number;
  originatesPerSecond: number;
  leaseMs?: number;
  sweepMs?: number;
  prepareDeadlineMs?: number;
  policy?: RetryPolicy;
  /** While no Asterisk is connected, pages wait this long before falling back (default 2 min; telephony-wait.ts). */
  telephonyWaitMs?: number;
}

export interface VoiceEngineDeps {
  repo: NotificationsRepo;
  users: UsersRepo;
  runner: CallRunner;
  preparer: Preparer;
  settled: SettledCheck | null;
  ownSettled?: OwnPageSettledCheck;
  fallback: VoiceFallback;
  clock: Clock;
  logger: Logger;
  /** Optional observer for metrics and the status page. */
  observe?: (event: VoiceEvent) => void;
  /** Per-person voice rules: hold only repeat pages about incidents already called about (src/limits/voice.ts). */
  limits?: Limits;
  /** Whether calls can be placed now; without it the engine never waits for telephony. */
  telephony?: TelephonyState;
  /** Shared with the page preparer, whose background work waits while calls are being dialled. */
  dialing?: DialingGate;
  /** Where a claim reads its people and their history (read-only connections that do not wait behind writes); default the writer. */
  reads?: BurstReads;
}

export type VoiceEvent =
  | { type: 'call-started'; callId: string; userId: number; pages: number; firstWaitsMs: number[]; retryWaitsMs: number[] }
  | { type: 'call-ended'; callId: string; report: CallReport }
  | { type: 'page-finished'; notificationId: number; kind: string; state: 'delivered' | 'failed' | 'cancelled'; outcome: string };

export class VoiceEngine {
  private readonly active = new Map<number, AbortController>(); // by user id
  private readonly limiter: RateLimiter;
  private readonly leaseMs: number;
  private readonly policy: RetryPolicy;
  private sweep: TimerHandle | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  private readonly running = new Set<Promise<void>>();
  /** Busy from a claim until each claimed call has dialled: background preparation waits for it. */
  readonly dialing: DialingGate;
  private readonly arrivals = new Arrivals();
  /**
   * Pages heard for people who were not on a call and not yet seen in a claim. While there are
   * some, a claim is sure to be worth its transaction; otherwise it first asks a reader whether
   * anything is due (a claim that finds nothing still holds the only writer on SQLite).
   */
  private readonly unclaimed = new Set<number>();

  constructor(
    private readonly deps: VoiceEngineDeps,
    private readonly opts: VoiceEngineOptions,
  ) {
    this.limiter = new RateLimiter(deps.clock, opts.originatesPerSecond);
    this.dialing = deps.dialing ?? new DialingGate();
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.policy = opts.policy ?? DEFAULT_RETRY;
  }

  /** `subscribe` is the Wakeup's subscribe: new rows start a call at once. */
  start(subscribe?: (fn: (n: Notification) => void) => () => void): void {
    this.stopped = false;
    // A page for someone whose call is under way joins it if it is not dialled yet, else waits
    // for that call to end (which kicks again).
    if (subscribe)
      this.unsubscribe = subscribe((n) => {
        if (!(VOICE_KINDS as readonly string[]).includes(n.kind)) return;
        if (n.userId !== null) this.arrivals.heard(n.userId, n.id);
        if (n.userId !== null && this.active.has(n.userId)) return;
        this.unclaimed.add(n.id);
        this.kick();
      });
    this.scheduleSweep();
    this.kick();
  }

  /** Stops claiming, hangs up calls in progress (they are recorded as interrupted and retried by whoever runs next). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.sweep?.cancel();
    for (const c of this.active.values()) c.abort(new Error('dozvon is stopping'));
    // A round in progress ends first: its reads outlived the database, its calls began after the stop.
    await this.ticking?.catch(() => undefined);
    await Promise.allSettled([...this.running]);
  }

  activeCalls(): number {
    return this.active.size;
  }

  /** True while this instance is on the phone with the person (their new pages wait for that call). */
  isBusyWith(userId: number): boolean {
    return this.active.has(userId);
  }

  /** Runs one claim round now (tests and the sweep use it). */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    const leave = this.dialing.enter();
    this.ticking = this.claimRound()
      .catch((e: unknown) => this.deps.logger.error({ err: (e as Error).message }, 'claim round failed; the sweep retries'))
      .finally(() => {
        leave();
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once no claim round and no call is in progress (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.ticking || this.running.size) await Promise.allSettled([this.ticking, ...this.running]);
  }

  private scheduleSweep(): void {
    if (this.stopped) return;
    this.sweep = this.deps.clock.setTimeout(() => {
      this.kick();
      this.scheduleSweep();
    }, this.opts.sweepMs ?? 2_000);
  }

  private async claimRound(): Promise<void> {
    while (!this.stopped && this.active.size < this.opts.maxCalls) {
      this.arrivals.keepOnly((u) => this.active.has(u));
      const now = this.deps.clock.now();
      const down = telephonyHold(this.deps.telephony, now, this.opts.telephonyWaitMs);
      const reads = this.deps.reads ?? { notifications: this.deps.repo, users: this.deps.users };
      const claim = {
        owner: this.opts.instanceId,
        kinds: VOICE_KINDS,
        leaseMs: this.leaseMs,
        people: this.opts.maxCalls - this.active.size,
        perPerson: PAGES_PER_CALL,
        excludeUserIds: [...this.active.keys()],
        dueBefore: down?.dueBefore,
      };
      // A reader that cannot answer is no reason to skip a claim.
      if (this.unclaimed.size === 0 && !(await reads.notifications.anyClaimable(claim).catch(() => true))) return;
      const burst = await claimBurst({ claims: this.deps.repo, reads }, claim, now - this.historyWindowMs());
      if (burst.orphans.length + burst.calls.length === 0) {
        // What was heard was taken by another instance, or joined a call already dialling.
        this.unclaimed.clear();
        return;
      }
      for (const row of [...burst.orphans, ...burst.calls.flatMap((c) => c.rows)]) this.unclaimed.delete(row.id);
      for (const row of burst.orphans) await this.finish(row, 'failed', 'no-user', 'the person was removed from the directory');
      if (down) {
        for (const c of burst.calls) for (const row of c.rows) await this.outwaitedTelephony(row, down.reason);
        continue;
      }
      // Stopped meanwhile: the pages go back due now, for whoever runs next, not after the lease.
      if (this.stopped)
        return void (await Promise.all(burst.calls.flatMap((c) => c.rows.map((r) => this.deps.repo.release(r.id, claim.owner, now)))));
      for (const c of burst.calls) this.launch(c);
    }
  }

  private launch(call: ClaimedCall): void {
    const { userId } = call;
    const ctl = new AbortController();
    this.active.set(userId, ctl);
    const dialled = this.dialing.enter();
    const p = this.handle(call, ctl.signal, dialled)
      .catch((e: unknown) =>
        this.deps.logger.error(
          { err: (e as Error).message, userId },
          'call handling failed; rows stay leased until the sweep retries them',
        ),
      )
      .finally(() => {
        dialled();
        this.arrivals.forget(userId);
        this.active.delete(userId);
        this.running.delete(p);
        this.kick();
      });
    this.running.add(p);
  }

  private async handle(call: ClaimedCall, signal: AbortSignal, dialled: () => void): Promise<void> {
    const { repo, clock } = this.deps;
    const { userId, rows, user, earlier } = call;
    const log = this.deps.logger.child({ userId, pages: rows.map((r) => r.id) });
    if (call.interrupted) log.warn({ interrupted: call.interrupted }, 'previous call was interrupted; calling again unless acknowledged');
    if (!user || user.phone === null) {
      for (const r of rows) await this.giveUp(user, [r], 'no callable number for this person');
      return;
    }
    // Ring first: a first call is dialled as soon as its pages are claimed, and correlation,
    // enrichment and speech are prepared while the phone rings (it rings for seconds). Only a
    // retry waits for them, to ask OnCall first whether someone settled the incident meanwhile.
    const retry = rows.some((r) => r.attempts > 0);
    const prepare = (list: Notification[], firstCall: boolean) => {
      const ms = this.opts.prepareDeadlineMs ?? (firstCall ? RING_FIRST_PREPARE_MS : RETRY_PREPARE_MS);
      const deadline = AbortSignal.any([signal, AbortSignal.timeout(ms)]);
      return Promise.all(list.map((r) => this.deps.preparer.prepare(r, user, deadline, firstCall ? 'in-turn' : 'now')));
    };
    let live: PreparedPage[];
    if (retry) {
      const pages = await prepare(rows, false);
      await this.saveCorrelations(pages);
      live = await this.dropSettled(pages, rows, signal);
    } else {
      live = rows.map((r) => unprepared(r, user.lang));
    }
    let preparing = retry ? null : prepare(rows, true);
    preparing?.catch(() => undefined);
    if (live.length === 0) return;
    if (await this.heldByRateLimit(userId, live, earlier, call.history)) return;
    // Renewed by reference: pages that join below are kept leased with the rest.
    const leased = live.map((p) => p.notification.id);
    const keepAlive = this.keepLeases(leased);
    try {
      await this.limiter.take();
      if (signal.aborted) throw signal.reason;
      const joined = await this.joining(userId, rows, PAGES_PER_CALL - live.length);
      if (joined.length) {
        const before = preparing ?? Promise.resolve(live);
        preparing = Promise.all([before, prepare(joined, true)]).then(([a, b]) => [...a, ...b]);
        preparing.catch(() => undefined);
        live = [...live, ...joined.map((r) => unprepared(r, user.lang))];
        leased.push(...joined.map((r) => r.id));
      }
      const callId = randomUUID();
      // Written beside the dial, not before it: during a burst the write waits its turn behind the
      // intake and the claims, and a phone rings for seconds before the attempt is needed. A crash
      // before it commits leaves the pages leased, and the sweep calls again (a call too many,
      // never a page lost).
      const attempts = repo.startAttempts(
        live.map((p) => ({ notificationId: p.notification.id, channel: 'voice', instance: this.opts.instanceId, callId })),
      );
      attempts.catch(() => undefined);
      this.deps.observe?.({
        type: 'call-started',
        callId,
        userId,
        pages: live.length,
        ...callWaits(
          live.map((p) => p.notification),
          earlier,
          clock.now(),
        ),
      });
      log.info({ callId, user: maskEmail(user.email) }, 'calling');
      const ready = preparing === null ? null : preparing.then(async (pages) => (await this.saveCorrelations(pages), pages));
      ready?.catch(() => undefined);
      // Answered before its pages were prepared: they are built in the lane of people already
      // listening (page-preparer), with the time a first call gives them; what is built is not built again.
      const hurry = () => {
        const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.opts.prepareDeadlineMs ?? RING_FIRST_PREPARE_MS)]);
        for (const p of live) this.deps.preparer.hurry(p.notification, user, deadline);
      };
      const report = await this.deps.runner.run(
        { callId, user, pages: live, onDialled: dialled, ...(ready ? { ready, hurry } : {}) },
        signal,
      );
      // What the call learned while ringing (the alert group above all) decides the retry.
      if (ready) live = await ready.catch(() => live);
      this.deps.observe?.({ type: 'call-ended', callId, report });
      log.info(
        { callId, outcome: report.outcome, digits: report.digits, action: report.action, actionStatus: report.actionStatus },
        'call ended',
      );
      const attemptIds = await attempts.catch((e: unknown) => {
        log.error(
          { callId, err: (e as Error).message },
          'the call could not be recorded as an attempt; its pages are settled all the same',
        );
        return [] as number[];
      });
      await Promise.all(
        attemptIds.map((id) =>
          repo.updateAttempt(id, {
            ringingAt: report.ringingAt,
            answeredAt: report.answeredAt,
            endedAt: report.endedAt,
            outcome: report.outcome,
            cause: report.cause,
            digits: report.digits || null,
            action: report.action,
            result: report.result,
            speech: report.speech ?? null,
            played: report.played ?? null,
            trunk: report.trunk ?? null,
            legs: report.legs ?? null,
          }),
        ),
      );
      await this.settle(user, live, report);
    } finally {
      keepAlive.cancel();
    }
  }

  /**
   * New pages for the person that were committed after their claim: they join this call, in
   * arrival order, as one claim would have taken them had they come a moment earlier. The call
   * was admitted already, and a page can only make a call more admissible, so the limits are
   * not asked again; only never-tried pages join (a retry waits for its own preparation).
   */
  private async joining(userId: number, claimed: Notification[], room: number): Promise<Notification[]> {
    const ids = claimed.map((r) => r.id);
    if (!this.arrivals.takeNew(userId, ids) || room <= 0) return [];
    // The claim rolls back whole: a page it could not take waits for the next call, this one rings.
    return this.deps.repo
      .claim({ owner: this.opts.instanceId, kinds: VOICE_KINDS, leaseMs: this.leaseMs, limit: room, userId, newOnly: true })
      .catch((e: unknown) => {
        this.deps.logger.warn({ err: (e as Error).message, userId }, 'new pages could not join the call; they wait for the next one');
        return [];
      });
  }

  /**
   * Limits that bound storms, not new incidents (src/limits/voice.ts): calls to one person start
   * at least callGapMs apart; only repeat pages about incidents already called about wait for the
   * per-person rules. Retries never count. Held pages are bundled into the next allowed call.
   */
  private async heldByRateLimit(
    userId: number,
    live: PreparedPage[],
    earlier: Map<number, Attempt[]>,
    claimedHistory: VoiceHistoryItem[],
  ): Promise<boolean> {
    const now = this.deps.clock.now();
    const rules = this.deps.limits?.perUser.voice ?? [];
    const gapMs = this.deps.limits?.callGapMs ?? DEFAULT_LIMITS.callGapMs;
    // Read at the claim: a retry's preparation may have taken seconds since, so trim to the window as of now.
    const since = now - this.historyWindowMs();
    const history = claimedHistory.filter((h) => h.startedAt >= since);
    const pages = live.map((p) => ({
      attempts: earlierVoiceAttempts(p.notification.id, earlier),
      alertGroupId: p.alertGroupId ?? p.notification.alertGroupId,
    }));
    const hold = voiceHold({ rules, gapMs, pages, history, now });
    if (!hold) return false;
    // The gap is routine (seconds); a held repeat is worth a warning.
    this.deps.logger[hold.kind === 'gap' ? 'info' : 'warn'](
      { userId, until: new Date(hold.until).toISOString(), reason: hold.reason },
      'voice limit: pages wait for the next allowed call',
    );
    for (const p of live) await this.deps.repo.release(p.notification.id, this.opts.instanceId, hold.until);
    return true;
  }

  /** How far back the voice limits look: the call gap or the longest per-person window. */
  private historyWindowMs(): number {
    const rules = this.deps.limits?.perUser.voice ?? [];
    return Math.max(this.deps.limits?.callGapMs ?? DEFAULT_LIMITS.callGapMs, ...rules.map((r) => r.windowMs));
  }

  private async saveCorrelations(pages: PreparedPage[]): Promise<void> {
    for (const p of pages)
      if (p.alertGroupId && p.notification.alertGroupId !== p.alertGroupId)
        await this.deps.repo.setCorrelation(p.notification.id, p.alertGroupId, p.correlation);
  }

  /** Before a retry, ask OnCall whether someone already acknowledged or resolved the incident. */
  private async dropSettled(pages: PreparedPage[], rows: Notification[], signal: AbortSignal): Promise<PreparedPage[]> {
    const live: PreparedPage[] = [];
    for (const p of pages) {
      const retry = rows.find((r) => r.id === p.notification.id)!.attempts > 0;
      if (retry && p.alertGroupId && this.deps.settled) {
        const s = await this.deps.settled
          .settled(p.alertGroupId, AbortSignal.any([signal, AbortSignal.timeout(3_000)]))
          .catch(() => ({ settled: false, detail: '' }));
        if (s.settled) {
          await this.finish(p.notification, 'cancelled', 'settled-elsewhere', s.detail);
          continue;
        }
      }
      const own = retry ? await this.ownSettled(p.notification) : null;
      if (own?.settled) {
        await this.finish(p.notification, 'cancelled', 'settled-elsewhere', own.detail);
        continue;
      }
      live.push(p);
    }
    return live;
  }

  /** A failing check reads as "not settled": one call too many beats a lost page. */
  private ownSettled(n: Notification): Promise<{ settled: boolean; detail: string } | null> {
    return this.deps.ownSettled ? this.deps.ownSettled.settledPage(n).catch(() => null) : Promise.resolve(null);
  }

  private async settle(user: User, pages: PreparedPage[], report: CallReport): Promise<void> {
    // A retry's delay counts from the call's end, not from when its pages' preparation (which a
    // call that never rang may still be finishing) let us get here.
    const now = report.endedAt > 0 ? Math.min(report.endedAt, this.deps.clock.now()) : this.deps.clock.now();
    const history = await this.deps.repo.attemptsFor(pages.map((p) => p.notification.id));
    for (const p of pages) {
      const n = p.notification;
      if (report.delivered) {
        await this.finish(n, 'delivered', 'digit', `pressed ${report.digits}${report.result ? `: ${report.result}` : ''}`);
        continue;
      }
      if (p.alertGroupId && report.settledAlertGroups.includes(p.alertGroupId)) {
        await this.finish(n, 'cancelled', 'settled-elsewhere', 'acknowledged or resolved during the call');
        continue;
      }
      // Closed or acknowledged here while the call wound up: its cancel found the page still leased.
      const own = await this.ownSettled(n);
      if (own?.settled) {
        await this.finish(n, 'cancelled', 'settled-elsewhere', own.detail);
        continue;
      }
      const outcomes = (history.get(n.id) ?? []).filter((a) => a.channel === 'voice').map((a) => (a.outcome ?? 'failed') as AttemptOutcome);
      const decision = decideRetry(outcomes, this.policy);
      if (decision.kind === 'retry') await this.deps.repo.reschedule(n.id, this.opts.instanceId, now + decision.delayMs, decision.reason);
      else await this.giveUp(user, [n], decision.reason);
    }
  }

  /** The page waited for telephony as long as it may: its person's other channels take it; with none, it waits on. */
  private async outwaitedTelephony(row: Notification, reason: string): Promise<void> {
    const user = row.userId === null ? null : await this.deps.users.getById(row.userId);
    if (user && this.deps.fallback.canHandOver && !this.deps.fallback.canHandOver(user)) {
      this.deps.logger.warn({ notification: row.id, reason }, 'voice page keeps waiting for telephony: the person has no other channel');
      await this.deps.repo.release(row.id, this.opts.instanceId, this.deps.clock.now() + TELEPHONY_RECHECK_MS);
      return;
    }
    await this.giveUp(user, [row], reason);
  }

  private async giveUp(user: User | null, rows: Notification[], reason: string): Promise<void> {
    let handed = '';
    if (user) {
      try {
        handed = await this.deps.fallback.handOver(user, rows, reason);
      } catch (e) {
        handed = `fallback failed: ${(e as Error).message}`;
      }
    }
    for (const r of rows) await this.finish(r, 'failed', 'not-delivered', handed ? `${reason}; ${handed}` : reason);
  }

  private async finish(n: Notification, state: 'delivered' | 'failed' | 'cancelled', outcome: string, reason: string): Promise<void> {
    const ok = await this.deps.repo.finish(n.id, this.opts.instanceId, state, outcome, reason);
    if (!ok) this.deps.logger.warn({ notification: n.id }, 'lease lost before finishing; another instance owns the page now');
    else this.deps.observe?.({ type: 'page-finished', notificationId: n.id, kind: n.kind, state, outcome });
  }

  private keepLeases(ids: number[]): TimerHandle {
    let handle: TimerHandle | null = null;
    const renew = () => {
      handle = this.deps.clock.setTimeout(() => {
        void Promise.all(ids.map((id) => this.deps.repo.renewLease(id, this.opts.instanceId, this.leaseMs)))
          .catch((e: unknown) => this.deps.logger.error({ err: (e as Error).message }, 'lease renewal failed'))
          .finally(renew);
      }, this.leaseMs / 3);
    };
    renew();
    return { cancel: () => handle?.cancel() };
  }
}
