/**
 * The script-like test DSL: scripted phones keyed by the dialled number, and handles on live calls.
 * Times given to `will*` methods are Asterisk milliseconds (scaled by the fake's timeScale); timeouts
 * of `expect*` methods are real milliseconds.
 */
import type { FakeCall, OutboundCall } from './calls';

export type WaitFor = <T>(check: () => T | undefined | null | false, timeoutMs: number, what: string) => Promise<T>;

export interface PressSpec {
  /** When to start, counted from the answer (default) or from the first PlaybackStarted on the call. */
  afterAnswerMs?: number;
  afterPlaybackStartMs?: number;
  /** Between digits (default 400, as SendDTMF on a Local channel). */
  gapMs?: number;
}

type Behaviour =
  | { kind: 'manual' }
  | { kind: 'answer'; ringMs: number }
  | { kind: 'busy' }
  | { kind: 'congestion' }
  | { kind: 'ring-out' }
  | { kind: 'reject'; afterMs: number; cause: number };

type Trigger = { afterAnswerMs: number } | { afterPlaybackStartMs: number };

/** A live call as seen from the far end: answer, press, hang up, and wait for what the app does. */
export class CallHandle {
  private playCursor = 0;

  constructor(
    readonly call: FakeCall,
    private readonly waitFor: WaitFor,
  ) {}

  /** The app's channel id (`;1` for Local, the channel itself for SIP and inbound). */
  get channelId(): string {
    return this.call.main.id;
  }

  answer(): void {
    this.call.answer();
  }

  press(digits: string, gapMs = 400): void {
    this.call.press(digits, gapMs);
  }

  /** The far end talks for `ms` Asterisk ms (reported only where the app set TALK_DETECT). */
  talk(ms: number): void {
    this.call.talk(ms);
  }

  /** The far end hangs up (cause 16 unless told). */
  hangup(cause = 16): void {
    this.call.remoteHangup(cause);
  }

  /** Every media URI played to this call so far. */
  played(): string[] {
    return [...this.call.main.played];
  }

  /** Waits until a media URI matching `re` is played after the previous match; returns it. */
  async expectPlayback(re: RegExp | string, timeoutMs = 2000): Promise<string> {
    const match = (uri: string) => (typeof re === 'string' ? uri.includes(re) : re.test(uri));
    return this.waitFor(
      () => {
        const list = this.call.main.played;
        for (let i = this.playCursor; i < list.length; i++) {
          if (match(list[i])) {
            this.playCursor = i + 1;
            return list[i];
          }
        }
        return undefined;
      },
      timeoutMs,
      `playback ${String(re)} on ${this.channelId}`,
    );
  }

  async expectAnswered(timeoutMs = 2000): Promise<void> {
    await this.waitFor(() => this.call.stage === 'up' || this.call.ended, timeoutMs, `answer of ${this.channelId}`);
    if (this.call.stage !== 'up') throw new Error(`call ${this.channelId} ended before it was answered`);
  }

  /** Resolves with the hangup cause once the call is over. */
  async expectHangup(timeoutMs = 2000): Promise<number> {
    await this.waitFor(() => this.call.ended, timeoutMs, `hangup of ${this.channelId}`);
    return this.call.endCause ?? 0;
  }
}

export class FakePhone {
  private behaviour: Behaviour = { kind: 'manual' };
  private presses: Array<{ digits: string; at: Trigger; gapMs: number }> = [];
  private hangups: Trigger[] = [];
  private talks: Array<{ ms: number; afterAnswerMs: number }> = [];
  private earlyMedia = false;
  readonly calls: CallHandle[] = [];
  private callCursor = 0;

  constructor(
    readonly number: string,
    private readonly waitFor: WaitFor,
  ) {}

  /** Rings for `ms` (no Ringing at all when 0, like exten 1007), then answers. */
  willAnswerAfter(ms = 0): this {
    this.behaviour = { kind: 'answer', ringMs: ms };
    return this;
  }

  willBeBusy(): this {
    this.behaviour = { kind: 'busy' };
    return this;
  }

  willBeCongested(): this {
    this.behaviour = { kind: 'congestion' };
    return this;
  }

  /** Rings until the originate timeout expires (cause 19, no final Dial). */
  willRingOut(): this {
    this.behaviour = { kind: 'ring-out' };
    return this;
  }

  /** Rings for `afterMs`, then declines (Hangup(21) → NOANSWER, cause 21). */
  willReject(opts: { afterMs?: number; cause?: number } = {}): this {
    this.behaviour = { kind: 'reject', afterMs: opts.afterMs ?? 5000, cause: opts.cause ?? 21 };
    return this;
  }

  /** Answers at once and never presses anything (voicemail); hangs up after `forMs`. */
  willStaySilent(forMs = 15000): this {
    this.behaviour = { kind: 'answer', ringMs: 0 };
    this.hangups.push({ afterAnswerMs: forMs });
    return this;
  }

  /** While it rings, its carrier sends a ringback as early media (what a talk detector set from the originate hears). */
  willSendEarlyMedia(): this {
    this.earlyMedia = true;
    return this;
  }

  /** Talks for `ms`, `afterAnswerMs` after the answer: a "hello?" (~600 ms) or a mailbox greeting (~5 s). */
  willTalk(ms: number, opts: { afterAnswerMs?: number } = {}): this {
    this.talks.push({ ms, afterAnswerMs: opts.afterAnswerMs ?? 0 });
    return this;
  }

  /**
   * An answering machine: answers at once, plays a greeting with its beep for `greetingMs` from
   * `afterAnswerMs` on, then records in silence and hangs up after `recordMs`.
   */
  willBeVoicemail(opts: { greetingMs?: number; afterAnswerMs?: number; recordMs?: number } = {}): this {
    this.behaviour = { kind: 'answer', ringMs: 0 };
    const start = opts.afterAnswerMs ?? 600;
    const greeting = opts.greetingMs ?? 5000;
    this.talks.push({ ms: greeting, afterAnswerMs: start });
    this.hangups.push({ afterAnswerMs: start + greeting + (opts.recordMs ?? 60_000) });
    return this;
  }

  willPress(digits: string, opts: PressSpec = {}): this {
    const at: Trigger =
      opts.afterPlaybackStartMs !== undefined
        ? { afterPlaybackStartMs: opts.afterPlaybackStartMs }
        : { afterAnswerMs: opts.afterAnswerMs ?? 0 };
    this.presses.push({ digits, at, gapMs: opts.gapMs ?? 400 });
    return this;
  }

  willHangUpAfter(afterAnswerMs: number): this {
    this.hangups.push({ afterAnswerMs });
    return this;
  }

  /** Hangs up `afterMs` after the first prompt started (exten 1009). */
  willHangUpDuringPrompt(afterMs = 0): this {
    this.hangups.push({ afterPlaybackStartMs: afterMs });
    return this;
  }

  /** Waits for the next call to this number. */
  async expectCall(timeoutMs = 2000): Promise<CallHandle> {
    const call = await this.waitFor(() => this.calls[this.callCursor], timeoutMs, `a call to ${this.number}`);
    this.callCursor++;
    return call;
  }

  private latest(): CallHandle {
    const c = this.calls[this.calls.length - 1];
    if (!c) throw new Error(`no call to ${this.number} yet`);
    return c;
  }

  answer(): this {
    this.latest().answer();
    return this;
  }

  press(digits: string, gapMs = 400): this {
    this.latest().press(digits, gapMs);
    return this;
  }

  hangup(cause = 16): this {
    this.latest().hangup(cause);
    return this;
  }

  expectPlayback(re: RegExp | string, timeoutMs?: number): Promise<string> {
    return this.latest().expectPlayback(re, timeoutMs);
  }

  expectHangup(timeoutMs?: number): Promise<number> {
    return this.latest().expectHangup(timeoutMs);
  }

  /** Called by the fake when an originate reaches this number: runs the script. */
  attach(call: OutboundCall): CallHandle {
    const handle = new CallHandle(call, this.waitFor);
    this.calls.push(handle);
    const b = this.behaviour;
    call.once('answered', () => this.arm(call, 'afterAnswerMs'));
    call.once('playback', () => this.arm(call, 'afterPlaybackStartMs'));
    if (b.kind === 'busy') call.busy();
    else if (b.kind === 'congestion') call.congestion();
    else if (b.kind === 'answer' && b.ringMs === 0) call.answer();
    else {
      call.ring();
      // Sound from the ring to the answer, which ends it as a real ringback ends.
      if (this.earlyMedia && b.kind === 'answer') call.earlyMedia(b.ringMs);
      if (b.kind === 'answer') call.schedule(b.ringMs, () => call.answer());
      if (b.kind === 'reject') call.schedule(b.afterMs, () => call.reject(b.cause));
    }
    return handle;
  }

  private arm(call: FakeCall, key: 'afterAnswerMs' | 'afterPlaybackStartMs'): void {
    for (const p of this.presses) {
      const ms = (p.at as Record<string, number>)[key];
      if (ms !== undefined) call.schedule(ms, () => call.press(p.digits, p.gapMs));
    }
    for (const h of this.hangups) {
      const ms = (h as Record<string, number>)[key];
      if (ms !== undefined) call.schedule(ms, () => call.remoteHangup(16));
    }
    if (key === 'afterAnswerMs') for (const t of this.talks) call.schedule(t.afterAnswerMs, () => call.talk(t.ms));
  }
}
