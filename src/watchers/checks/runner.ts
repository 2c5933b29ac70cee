/**
 * Runs the self-checks every minute, keeps the latest results for the status page and
 * metrics, and tells the admins when a check starts failing and when it recovers: once per
 * change, not once per minute. What the admins were told is kept in a ReportedState (the
 * database in production), so a restart or another instance continues the same story.
 */
import type { Clock, TimerHandle } from '../../core/clock';
import { errorMessage } from '../../core/errors';
import { Logger, maskEmail } from '../../core/log';
import { Check, CheckOutcome, runChecksOnce } from './check';
import type { ReportedState } from './reported';

export interface AdminReport {
  emails: string[];
  title: string;
  text: string;
  check: string;
  event: 'failed' | 'recovered';
  detail: string;
}

/** Implemented by the lead over whatever channels still work. */
export interface AdminNotifier {
  notify(report: AdminReport): Promise<void>;
}

export interface SelfChecksOptions {
  checks: readonly Check[];
  clock: Clock;
  logger: Logger;
  notifier: AdminNotifier;
  /** The `admins:` YAML list. */
  admins: readonly string[];
  everyMs?: number;
  timeoutMs?: number;
  /** What admins were told, shared by restarts and instances; without it, this process's memory only. */
  reported?: ReportedState;
}

export class SelfChecks {
  private readonly results = new Map<string, CheckOutcome>();
  /**
   * What the admins were last told (false = a failure and no recovery yet; unknown = healthy).
   * A copy of the shared state, used alone when there is none or it cannot be read.
   */
  private readonly told = new Map<string, boolean>();
  /** This instance's own last result per check, once any report it called for went out. */
  private readonly seen = new Map<string, boolean>();
  /** Checks whose last report could not be recorded: our copy is newer than the shared one. */
  private readonly unsaved = new Set<string>();
  private timer: TimerHandle | null = null;
  private stopRun = new AbortController();
  private current: Promise<CheckOutcome[]> | null = null;
  private queued: Promise<CheckOutcome[]> | null = null;
  private readonly log: Logger;

  constructor(private readonly o: SelfChecksOptions) {
    this.log = o.logger.child({ module: 'self-checks' });
  }

  /** First run at once, then every `everyMs` after the previous run ends. */
  start(): void {
    this.stopRun = new AbortController();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.stopRun.abort(new Error('stopping'));
    await this.current?.catch((e: unknown) => this.log.debug({ err: errorMessage(e) }, 'self-check run ended by stop'));
    await this.queued;
  }

  /** Latest outcome per check, in declaration order. */
  latest(): CheckOutcome[] {
    return this.o.checks.flatMap((c) => this.results.get(c.name) ?? []);
  }

  /**
   * One full run with reporting, begun after this call; the interval loop calls this too. A run
   * already under way may have read its checks before whatever made the caller ask (a test call
   * that just failed), so the caller gets the next run, shared by everyone who asks meanwhile.
   */
  runNow(): Promise<CheckOutcome[]> {
    if (!this.current) {
      this.current = this.runAndReport().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.queued ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.stopRun.signal.aborted ? this.latest() : this.runNow();
      });
    return this.queued;
  }

  private schedule(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      this.runNow()
        .catch((e: unknown) => this.log.error({ err: errorMessage(e) }, 'self-check run failed'))
        .finally(() => {
          if (!this.stopRun.signal.aborted) this.schedule(this.o.everyMs ?? 60_000);
        });
    }, ms);
  }

  private async runAndReport(): Promise<CheckOutcome[]> {
    const outcomes = await runChecksOnce(this.o.checks, { clock: this.o.clock, timeoutMs: this.o.timeoutMs, signal: this.stopRun.signal });
    if (this.stopRun.signal.aborted) return outcomes;
    for (const r of outcomes) {
      this.results.set(r.name, r);
      const toldOk = await this.toldOk(r.name);
      // A recovery is ours to report only if we saw the failure (or just started): a failure
      // another instance reported and still sees must not be "recovered" by a healthy instance.
      const change = r.ok ? !toldOk && this.seen.get(r.name) !== true : toldOk;
      if (!change) {
        this.seen.set(r.name, r.ok);
        continue;
      }
      this.log[r.ok ? 'info' : 'warn']({ check: r.name, detail: r.detail }, r.ok ? 'self-check recovered' : 'self-check failing');
      if (await this.report(r)) {
        this.seen.set(r.name, r.ok);
        await this.setTold(r.name, r.ok);
      }
    }
    return outcomes;
  }

  private async toldOk(name: string): Promise<boolean> {
    if (this.unsaved.has(name)) await this.save(name, this.told.get(name) ?? true);
    else if (this.o.reported) {
      try {
        const v = await this.o.reported.get(name);
        if (v === undefined) this.told.delete(name);
        else this.told.set(name, v);
      } catch (e) {
        this.log.warn({ check: name, err: errorMessage(e) }, 'could not read what admins were told; using this process memory');
      }
    }
    return this.told.get(name) ?? true;
  }

  private async setTold(name: string, ok: boolean): Promise<void> {
    this.told.set(name, ok);
    await this.save(name, ok);
  }

  /** A failed write is tried again next run; until then our copy wins (the report did go out). */
  private async save(name: string, ok: boolean): Promise<void> {
    if (!this.o.reported) return;
    try {
      await this.o.reported.set(name, ok);
      this.unsaved.delete(name);
    } catch (e) {
      this.unsaved.add(name);
      this.log.warn({ check: name, err: errorMessage(e) }, 'could not record what admins were told; trying again next run');
    }
  }

  /** True when delivered; a failed report is tried again on the next run. */
  private async report(r: CheckOutcome): Promise<boolean> {
    const emails = [...this.o.admins];
    if (!emails.length) {
      this.log.warn({ check: r.name }, 'no admins configured: self-check change not reported');
      return true;
    }
    const event = r.ok ? 'recovered' : 'failed';
    const title = r.ok ? `dozvon self-check ${r.name} recovered` : `dozvon self-check ${r.name} failing`;
    const text = r.ok ? `dozvon: ${r.name} is healthy again: ${r.detail}.` : `dozvon: ${r.name} is failing: ${r.detail}.`;
    try {
      await this.o.notifier.notify({ emails, title, text, check: r.name, event, detail: r.detail });
      this.log.info({ check: r.name, event, to: emails.map(maskEmail) }, 'admins told about self-check');
      return true;
    } catch (e) {
      this.log.error({ check: r.name, event, err: errorMessage(e) }, 'could not report self-check to admins');
      return false;
    }
  }
}
