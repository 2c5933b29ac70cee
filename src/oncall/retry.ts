/**
 * The phone menu's patience: one overall deadline, up to N tries on temporary
 * errors, and a single "one moment please" cue when the first try fails or runs long.
 */
import type { Clock } from '../core/clock';
import { AppError, isTemporary } from '../core/errors';

export interface TryOptions {
  clock: Clock;
  deadlineMs: number;
  maxTries: number;
  slowAfterMs: number;
  onSlow?: () => void;
  signal?: AbortSignal;
}

/** Shared between the parallel tries of one action so onSlow fires once per action. */
export class SlowCue {
  private fired = false;
  constructor(
    private readonly onSlow: (() => void) | undefined,
    private readonly onError: (err: unknown) => void,
  ) {}

  fire(): void {
    if (this.fired || !this.onSlow) return;
    this.fired = true;
    try {
      this.onSlow();
    } catch (err) {
      // The cue is a courtesy to the caller; its failure must not change the action's outcome.
      this.onError(err);
    }
  }
}

/** A deadline for a whole action: its signal aborts when the time is up or the caller gives up. */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly ctl = new AbortController();
  private readonly timers: { cancel(): void }[] = [];
  private readonly end: number;

  constructor(
    private readonly o: TryOptions,
    cue: SlowCue,
  ) {
    this.signal = this.ctl.signal;
    this.end = o.clock.now() + o.deadlineMs;
    this.timers.push(
      o.clock.setTimeout(
        () => this.ctl.abort(new AppError('deadline', `no answer within ${o.deadlineMs} ms`, { temporary: true })),
        o.deadlineMs,
      ),
    );
    this.timers.push(o.clock.setTimeout(() => cue.fire(), o.slowAfterMs));
    if (o.signal) {
      if (o.signal.aborted) this.ctl.abort(o.signal.reason);
      else o.signal.addEventListener('abort', () => this.ctl.abort(o.signal!.reason), { once: true });
    }
  }

  remaining(): number {
    return this.end - this.o.clock.now();
  }

  /** Stops the slow cue (the answer came) but keeps the deadline for follow-up calls. */
  answered(): void {
    this.timers[1].cancel();
  }

  done(): void {
    for (const t of this.timers) t.cancel();
  }
}

/** Runs fn until it succeeds, fails permanently, runs out of tries, or the deadline passes. */
export async function withTries<T>(
  fn: (signal: AbortSignal, attempt: number) => Promise<T>,
  d: Deadline,
  o: TryOptions,
  cue: SlowCue,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(d.signal, attempt), attempts: attempt };
    } catch (err) {
      if (d.signal.aborted)
        throw d.signal.reason instanceof Error ? new AppError('deadline', d.signal.reason.message, { temporary: true, cause: err }) : err;
      if (!isTemporary(err) || attempt >= o.maxTries) throw err;
      cue.fire();
      const wait = Math.min(250 * 2 ** (attempt - 1), Math.max(0, d.remaining() - 50));
      await o.clock.sleep(wait, d.signal).catch((reason: unknown) => {
        throw new AppError('deadline', 'deadline reached while waiting to retry', { temporary: true, cause: reason ?? err });
      });
    }
  }
}
