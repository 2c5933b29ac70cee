/**
 * Deletes what has outlived its retention, table by table in small batches, on a timer.
 * Run under a cluster Singleton ('retention'): two instances sweeping at once would only
 * waste work, but one is enough and the lease keeps it to one.
 *
 * A sweep never throws: a table that fails is logged and retried at the next sweep, the
 * other tables still go. stop() lets the statement in flight finish and skips the rest.
 */
import type { Clock, TimerHandle } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { Db } from '../db/knex';
import type { RetentionSection } from './config';
import { TABLE_RULES, zeroCounts, type RetentionCounts, type RetentionTable, type TableRule } from './tables';

const DAY_MS = 86_400_000;

export interface RetentionSweeperOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: RetentionSection;
  /** Rows per DELETE statement. Default 500. */
  batchSize?: number;
  /** Delay before the first sweep after start (lets the instance settle). Default 60 s. */
  firstSweepDelayMs?: number;
  /** Longest one statement may take. Default 60 s. */
  statementTimeoutMs?: number;
  /** Batches per table and sweep at most; a bigger backlog is finished by the next sweeps. Default 1000. */
  maxBatchesPerTable?: number;
  /** Told of every finished sweep (metrics); must not throw. */
  observe?: (result: SweepResult) => void;
}

/** What one sweep did: for the log line, /metrics and the status page. */
export interface SweepResult {
  /** When the sweep started and ended (epoch ms, on the injected clock). */
  startedAt: number;
  finishedAt: number;
  /** Rows deleted per table (attempts are counted apart from their notifications). */
  counts: RetentionCounts;
  /** DELETE batches run per swept table. */
  batches: Partial<Record<RetentionTable, number>>;
  /** False when a table failed, hit maxBatchesPerTable or the sweep was stopped: rows may be left for the next one. */
  complete: boolean;
  errors: { table: RetentionTable; message: string }[];
}

interface Plan {
  rule: TableRule;
  days: number;
}

export class RetentionSweeper {
  private readonly log: Logger;
  private readonly plans: Plan[];
  private readonly everyMs: number;
  private timer: TimerHandle | null = null;
  private running = false;
  private stopping = false;
  private inFlight: Promise<SweepResult> | null = null;
  private last: SweepResult | null = null;
  private readonly total: RetentionCounts = zeroCounts();

  constructor(private readonly o: RetentionSweeperOptions) {
    this.log = o.logger.child({ mod: 'retention' });
    const c = o.config;
    this.plans = [
      { rule: TABLE_RULES.voicemails, days: c.hotline_voicemail_days },
      { rule: TABLE_RULES.notifications, days: c.notifications_days },
      { rule: TABLE_RULES.heartbeatEvents, days: c.heartbeat_events_days },
      { rule: TABLE_RULES.shiftNotices, days: c.shift_notices_days },
      { rule: TABLE_RULES.phoneVerifications, days: c.phone_verifications_days },
      { rule: TABLE_RULES.auditLog, days: c.audit_log_days },
      { rule: TABLE_RULES.alertRequests, days: c.alert_requests_days },
      { rule: TABLE_RULES.closedAlerts, days: c.closed_alerts_days },
    ].filter((p) => p.days > 0);
    this.everyMs = c.sweep_every_minutes * 60_000;
  }

  /** Schedules the first sweep shortly after now, then one every `sweep_every_minutes`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    if (this.plans.length === 0) {
      this.log.info('retention: every *_days is 0, nothing is ever deleted');
      return;
    }
    this.log.info(
      { days: Object.fromEntries(this.plans.map((p) => [p.rule.table, p.days])), everyMin: this.everyMs / 60_000 },
      'retention sweeps scheduled',
    );
    this.schedule(this.o.firstSweepDelayMs ?? 60_000);
  }

  /** Cancels the timer and waits for a sweep in progress to end after its current statement. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.timer?.cancel();
    this.timer = null;
    if (this.inFlight) await this.inFlight;
  }

  /** The latest finished sweep, or null before the first. */
  lastSweep(): SweepResult | null {
    return this.last;
  }

  /** Rows deleted per table since this instance built the sweeper (Prometheus counters). */
  totals(): RetentionCounts {
    return { ...this.total };
  }

  /** Resolves when no sweep is running (tests, shutdown). */
  async idle(): Promise<void> {
    if (this.inFlight) await this.inFlight;
  }

  /**
   * Sweeps now (the timer, an admin action, tests); joins a sweep already running rather than
   * starting a second. While started, the next sweep is due one period after this one began.
   */
  sweepNow(): Promise<SweepResult> {
    if (this.inFlight) return this.inFlight;
    const startedAt = this.o.clock.now();
    // Rescheduled inside the promise idle() waits for, so a caller sees the next timer set.
    const p = this.sweep().finally(() => {
      this.inFlight = null;
      if (this.running) this.schedule(Math.max(0, startedAt + this.everyMs - this.o.clock.now()));
    });
    this.inFlight = p;
    return p;
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      // sweep() catches per table; this only guards its bookkeeping, so the timer never dies silently.
      this.sweepNow().catch((e: unknown) => {
        this.log.error({ err: errorMessage(e) }, 'retention sweep failed');
        if (this.running && !this.timer) this.schedule(this.everyMs);
      });
    }, ms);
  }

  private async sweep(): Promise<SweepResult> {
    const { clock } = this.o;
    const startedAt = clock.now();
    const counts = zeroCounts();
    const batches: SweepResult['batches'] = {};
    const errors: SweepResult['errors'] = [];
    let complete = true;
    for (const plan of this.plans) {
      if (this.stopping) {
        complete = false;
        break;
      }
      try {
        const done = await this.sweepTable(plan, startedAt - plan.days * DAY_MS, counts, batches);
        if (!done) complete = false;
      } catch (e) {
        complete = false;
        errors.push({ table: plan.rule.table, message: errorMessage(e) });
      }
    }
    const result: SweepResult = { startedAt, finishedAt: clock.now(), counts, batches, complete, errors };
    this.last = result;
    for (const t of Object.keys(counts) as RetentionTable[]) this.total[t] += counts[t];
    const line = { deleted: counts, ms: result.finishedAt - startedAt, complete };
    if (errors.length) this.log.warn({ ...line, errors }, 'retention sweep: some tables failed; they are retried at the next sweep');
    else this.log.info(line, 'retention sweep');
    this.o.observe?.(result);
    return result;
  }

  /** Batches until a short one (nothing left) or the per-sweep cap; true when the table is clean. */
  private async sweepTable(plan: Plan, cutoff: number, counts: RetentionCounts, batches: SweepResult['batches']): Promise<boolean> {
    const limit = this.o.batchSize ?? 500;
    const max = this.o.maxBatchesPerTable ?? 1000;
    const opts = { limit, timeoutMs: this.o.statementTimeoutMs ?? 60_000 };
    const table = plan.rule.table;
    for (let i = 0; i < max; i++) {
      if (this.stopping) return false;
      const got = await plan.rule.step(this.o.db, cutoff, opts);
      batches[table] = (batches[table] ?? 0) + 1;
      for (const [t, n] of Object.entries(got) as [RetentionTable, number][]) counts[t] += n;
      if ((got[table] ?? 0) < limit) return true;
    }
    return false;
  }
}
