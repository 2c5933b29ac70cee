/**
 * The one prompt helper for outbound calls and the hotline: play a media list, collect digits with
 * named timeouts, replay when nothing was pressed, barge in (a digit stops the playback at once and
 * counts). Every timer goes through the Clock and is cancelled, listeners are removed on every exit
 * path, and nothing here throws from an event handler: failures become `status: 'error'`.
 */
import type { Clock, TimerHandle } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { CallLeg, Playback } from '../telephony';
import type { TypeAhead } from './type-ahead';

export type PromptLeg = Pick<CallLeg, 'ended' | 'on' | 'off' | 'play'>;

export interface PromptOptions {
  media: string[];
  lang?: string;
  /** Stop collecting after this many digits (default 1). */
  maxDigits?: number;
  /** Ends entry early and is not part of the digits (default '#'; null: none). */
  terminator?: string | null;
  /** After the media finished, wait this long for the first digit (default 5000). */
  firstDigitTimeoutMs?: number;
  /** After a digit, wait this long for the next one; then the digits so far count (default 3000). */
  interDigitTimeoutMs?: number;
  /** Hard cap on the whole prompt including replays (default: none). */
  overallTimeoutMs?: number;
  /** Extra plays when no digit came within the first-digit timeout (default 0). */
  replays?: number;
  /** A digit during the media stops it and counts (default true); false ignores digits until it ends. */
  bargeIn?: boolean;
  /** Digits outside this set are ignored (default: all). */
  validDigits?: string;
  /** Digits pressed before this prompt began count first; with any, the media is not played. */
  typeAhead?: TypeAhead;
  /** Ends the prompt at once with status `cancelled` (the call found it is talking to a machine). */
  signal?: AbortSignal;
  log?: Logger;
}

export interface PromptResult {
  /** digits: something was entered (possibly cut short by a timeout or the terminator); timeout: nothing was. */
  status: 'digits' | 'timeout' | 'hangup' | 'error' | 'cancelled';
  digits: string;
  error?: unknown;
}

export function prompt(leg: PromptLeg, clock: Clock, opts: PromptOptions): Promise<PromptResult> {
  return new Promise<PromptResult>((resolve) => new PromptRun(leg, clock, opts, resolve).begin());
}

class PromptRun {
  private digits = '';
  private done = false;
  private plays = 0;
  private playing = false;
  private current: Playback | null = null;
  private timer: TimerHandle | null = null;
  private overall: TimerHandle | null = null;
  private release: (() => void) | null = null;
  private readonly maxDigits: number;
  private readonly terminator: string | null;

  constructor(
    private readonly leg: PromptLeg,
    private readonly clock: Clock,
    private readonly opts: PromptOptions,
    private readonly resolve: (r: PromptResult) => void,
  ) {
    this.maxDigits = Math.max(1, opts.maxDigits ?? 1);
    this.terminator = opts.terminator === undefined ? '#' : opts.terminator;
  }

  begin(): void {
    if (this.leg.ended()) return this.resolve({ status: 'hangup', digits: '' });
    if (this.opts.signal?.aborted) return this.resolve({ status: 'cancelled', digits: '' });
    this.opts.signal?.addEventListener('abort', this.onCancel);
    this.leg.on('dtmf', this.onDigit);
    this.leg.on('ended', this.onEnded);
    if (this.opts.overallTimeoutMs)
      this.overall = this.clock.setTimeout(() => this.finish(this.digits ? 'digits' : 'timeout'), this.opts.overallTimeoutMs);
    if (this.opts.typeAhead) {
      this.release = this.opts.typeAhead.hold();
      const ahead = this.opts.typeAhead.take();
      for (let i = 0; i < ahead.length; i++) {
        this.onDigit(ahead[i]);
        // 3 and 1 both typed during the greeting: the 3 answers this prompt, the 1 the next one.
        if (this.done) return this.opts.typeAhead.unread(ahead.slice(i + 1));
      }
      // Part of an entry typed ahead (a PIN, say): wait for the rest instead of asking again.
      if (this.digits) return;
    }
    this.playOnce();
  }

  private readonly onEnded = (): void => this.finish('hangup');

  private readonly onCancel = (): void => this.finish('cancelled');

  private readonly onDigit = (d: string): void => {
    try {
      if (this.done) return;
      if (this.opts.validDigits !== undefined && !this.opts.validDigits.includes(d)) return;
      if (this.playing) {
        if (this.opts.bargeIn === false) return;
        this.stopCurrent();
      }
      if (this.terminator !== null && d === this.terminator) return this.finish(this.digits ? 'digits' : 'timeout');
      this.digits += d;
      if (this.digits.length >= this.maxDigits) return this.finish('digits');
      this.arm(this.opts.interDigitTimeoutMs ?? 3000, () => this.finish('digits'));
    } catch (err) {
      this.finish('error', err);
    }
  };

  private arm(ms: number, fn: () => void): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimeout(fn, ms);
  }

  private playOnce(): void {
    this.plays++;
    this.timer?.cancel();
    this.timer = null;
    this.playing = true;
    this.runPlayback().catch((err: unknown) => this.finish(this.leg.ended() ? 'hangup' : 'error', err));
  }

  private async runPlayback(): Promise<void> {
    const pb = await this.leg.play(this.opts.media, { lang: this.opts.lang });
    if (this.done || !this.playing) {
      // A digit (or the end) came before the play request returned: stop what just started.
      this.stop(pb);
      return;
    }
    this.current = pb;
    await pb.finished;
    if (this.current !== pb || this.done) return; // stopped by barge-in or finished already
    this.current = null;
    this.playing = false;
    if (this.leg.ended()) return this.finish('hangup');
    this.arm(this.opts.firstDigitTimeoutMs ?? 5000, () => {
      if (this.plays <= (this.opts.replays ?? 0)) this.playOnce();
      else this.finish('timeout');
    });
  }

  private stopCurrent(): void {
    this.playing = false;
    const pb = this.current;
    this.current = null;
    if (pb) this.stop(pb);
  }

  private stop(pb: Playback): void {
    pb.stop().catch((err: unknown) => this.opts.log?.warn({ err: errorMessage(err) }, 'could not stop a prompt'));
  }

  private finish(status: PromptResult['status'], error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    this.overall?.cancel();
    this.timer = this.overall = null;
    this.leg.off('dtmf', this.onDigit);
    this.leg.off('ended', this.onEnded);
    this.opts.signal?.removeEventListener('abort', this.onCancel);
    this.release?.();
    if (status !== 'hangup') this.stopCurrent();
    this.current = null;
    this.playing = false;
    if (error !== undefined) this.opts.log?.warn({ err: errorMessage(error) }, 'prompt failed');
    this.resolve(error === undefined ? { status, digits: this.digits } : { status, digits: this.digits, error });
  }
}
