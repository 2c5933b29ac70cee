/**
 * One call leg on one Asterisk server. All of its events arrive through `handle()` from the
 * server's dispatcher (one entry point, never throws); the leg turns them into answered / dtmf /
 * ended and keeps its own ring timer, because an originate timeout produces no final Dial event.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../core/clock';
import { AppError, errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { AriClient, AriEvent } from './ari-client';
import { withDeadline } from './ari-client';
import { classifyEnd } from './outcome';
import type { CallEnd, CallLeg, HangupReason, LegEvents, Playback, Recording, RecordingResult } from './types';

/** What a leg needs from the server connection that carries it. */
export interface LegPort {
  readonly url: string;
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  client(): AriClient;
  trackPlayback(id: string, legId: string, done: (state: 'done' | 'failed') => void): void;
  trackRecording(name: string, legId: string, done: (r: RecordingResult) => void): void;
  fetchRecording(name: string): Promise<Buffer>;
  released(leg: AriCallLeg): void;
}

type Listener = (...args: never[]) => void;

export class AriCallLeg implements CallLeg {
  private stage: 'dialing' | 'ringing' | 'up' | 'ended' = 'dialing';
  private answeredFlag = false;
  private rangFlag = false;
  private dialStatus: string | null = null;
  private partnerCause: number | null = null;
  private hangupCause: number | null = null;
  private techCause: number | null = null;
  /** A Local `;2` half has been heard of and is not destroyed yet. */
  private partnerAlive = false;
  private destroyedCause: number | null = null;
  private result: CallEnd | null = null;
  private readonly listeners = new Map<keyof LegEvents, Set<Listener>>();
  private readonly pending = new Set<() => void>();
  private timers: TimerHandle[] = [];
  /** When talk heard before the answer began, while it goes on (its events are not the person's). */
  private talkBeforeAnswer: number | null = null;
  private talking = false;
  private upAt = 0;

  constructor(
    readonly id: string,
    readonly direction: 'outbound' | 'inbound',
    readonly callerNumber: string | null,
    private readonly port: LegPort,
    private readonly log: Logger,
  ) {}

  get server(): string {
    return this.port.url;
  }

  isUp(): boolean {
    return this.stage === 'up';
  }

  hasRung(): boolean {
    return this.rangFlag || this.answeredFlag;
  }

  isTalking(): boolean {
    return this.talking;
  }

  ended(): CallEnd | null {
    return this.result;
  }

  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    let set = this.listeners.get(ev);
    if (!set) this.listeners.set(ev, (set = new Set()));
    set.add(fn as Listener);
  }

  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    this.listeners.get(ev)?.delete(fn as Listener);
  }

  /** Number of listeners still attached (tests check that helpers clean up). */
  listenerCount(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private fire<E extends keyof LegEvents>(ev: E, ...args: Parameters<LegEvents[E]>): void {
    for (const fn of [...(this.listeners.get(ev) ?? [])]) {
      try {
        (fn as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.log.error({ err: errorMessage(err), event: ev }, 'call leg listener threw');
      }
    }
  }

  /** Own ring deadline: Asterisk's timeout plus a grace; then we cancel and, failing that, give up. */
  startRingTimer(timeoutSec: number, graceMs: number): void {
    this.timers.push(
      this.port.clock.setTimeout(
        () => {
          if (this.stage === 'up' || this.result) return;
          this.log.warn({ timeoutSec }, 'no answer and no word from Asterisk: cancelling');
          void this.hangup('no_answer').catch((err: unknown) =>
            this.log.warn({ err: errorMessage(err) }, 'cancel after ring timeout failed'),
          );
          this.timers.push(this.port.clock.setTimeout(() => this.finish({ lostConnection: true }), graceMs));
        },
        timeoutSec * 1000 + graceMs,
      ),
    );
  }

  /** Every event for this leg's channel (or its Local partner when `partner`). */
  handle(ev: AriEvent, partner: boolean): void {
    if (this.result) return;
    if (partner) {
      this.partnerAlive = ev.type !== 'ChannelDestroyed';
      if (ev.type === 'ChannelDestroyed') {
        this.partnerCause = ev.cause ?? null;
        if (this.destroyedCause !== null) this.finish({ cause: this.destroyedCause });
      }
      return;
    }
    switch (ev.type) {
      case 'Dial':
        if (ev.dialstatus) this.dialStatus = ev.dialstatus;
        break;
      case 'ChannelStateChange':
        if (ev.channel?.state === 'Ringing' && this.stage === 'dialing') {
          this.stage = 'ringing';
          this.rangFlag = true;
          this.fire('ringing');
        }
        if (ev.channel?.state === 'Up' && this.direction === 'inbound') this.markUp();
        break;
      case 'StasisStart':
        if (this.direction === 'outbound') this.markUp();
        break;
      case 'ChannelDtmfReceived':
        if (ev.digit && this.stage === 'up') this.fire('dtmf', ev.digit);
        break;
      case 'ChannelTalkingStarted':
        this.talking = true;
        if (this.stage === 'up') this.fire('talk', { talking: true });
        else this.talkBeforeAnswer = this.port.clock.now();
        break;
      case 'ChannelTalkingFinished':
        this.talking = false;
        if (this.stage === 'up') this.talkEnded(ev.duration ?? 0);
        else this.talkBeforeAnswer = null;
        break;
      case 'ChannelHangupRequest':
        if (!ev.soft && typeof ev.cause === 'number') this.hangupCause = ev.cause; // a soft request's cause is a flag (32 = our DELETE), not a reason
        this.noteTechCause(ev);
        break;
      case 'StasisEnd':
        // Inbound channels get nothing after StasisEnd (the app's subscription ends with Stasis); originated ones still get ChannelDestroyed.
        if (this.direction === 'inbound') this.finish({ cause: this.hangupCause ?? 16 });
        break;
      case 'ChannelDestroyed':
        this.noteTechCause(ev);
        if (ev.cause === 0 && this.partnerAlive) {
          // Busy/congestion on a Local channel: our half dies with cause 0; the reason arrives with the `;2` half a moment later.
          this.destroyedCause = 0;
          this.timers.push(this.port.clock.setTimeout(() => this.finish({ cause: 0 }), 500));
        } else {
          this.finish({ cause: ev.cause ?? null });
        }
        break;
      default:
        break;
    }
  }

  /** Only a real SIP final response counts; 0 or a missing field means the technology gave none. */
  private noteTechCause(ev: AriEvent): void {
    if (typeof ev.tech_cause === 'number' && ev.tech_cause >= 100 && ev.tech_cause <= 699) this.techCause = ev.tech_cause;
  }

  private markUp(): void {
    if (this.stage === 'up') return;
    this.stage = 'up';
    this.answeredFlag = true;
    this.upAt = this.port.clock.now();
    this.fire('answered');
    // Early media (a carrier's ringback or announcement) was heard as talk: what goes on past the answer starts there.
    if (this.talkBeforeAnswer !== null) this.fire('talk', { talking: true });
  }

  /** A talk that began before the answer is reported for its part after it. */
  private talkEnded(durationMs: number): void {
    const before = this.talkBeforeAnswer === null ? 0 : this.upAt - this.talkBeforeAnswer;
    this.talkBeforeAnswer = null;
    this.fire('talk', { talking: false, durationMs: Math.max(0, durationMs - before) });
  }

  /** Forgets a leg whose originate was refused: nothing happened, nobody is told. */
  discard(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.stage = 'ended';
    this.port.released(this);
  }

  /** Ends the leg once: outcome, listeners, pending playbacks and timers are all settled here. */
  finish(info: { cause?: number | null; lostConnection?: boolean }): void {
    if (this.result) return;
    this.stage = 'ended';
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.result = classifyEnd({
      answered: this.answeredFlag,
      cause: info.cause ?? this.hangupCause ?? null,
      partnerCause: this.partnerCause,
      dialStatus: this.dialStatus,
      sipCode: this.techCause,
      lostConnection: info.lostConnection,
    });
    for (const settle of [...this.pending]) settle();
    this.pending.clear();
    this.port.released(this);
    this.log.info(
      {
        outcome: this.result.outcome,
        cause: this.result.cause,
        sipCode: this.result.sipCode,
        dialStatus: this.result.dialStatus,
        lost: !!info.lostConnection,
      },
      'call leg ended',
    );
    this.fire('ended', this.result);
    this.listeners.clear();
  }

  private call<T>(p: () => Promise<T>, what: string): Promise<T> {
    return withDeadline(Promise.resolve().then(p), this.port.requestTimeoutMs, what);
  }

  private assertLive(what: string): void {
    if (this.result) throw new AppError('call-ended', `${what}: the call has ended`, { temporary: false });
  }

  async answer(): Promise<void> {
    this.assertLive('answer');
    await this.call(() => this.port.client().channels.answer({ channelId: this.id }), 'answer');
    this.markUp();
  }

  async hangup(reason: HangupReason = 'normal'): Promise<void> {
    if (this.result) return;
    try {
      await this.call(() => this.port.client().channels.hangup({ channelId: this.id, reason }), 'hangup');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'ari-not-found')) throw err;
      // Gone already: its events are in flight or were lost with the connection.
      this.timers.push(this.port.clock.setTimeout(() => this.finish({ lostConnection: true }), 1000));
    }
  }

  async play(media: string[], opts: { lang?: string } = {}): Promise<Playback> {
    this.assertLive('play');
    if (media.length === 0 || media.some((m) => !m || m.includes(','))) {
      throw new AppError('bad-media', 'media URIs must be non-empty and contain no commas', { temporary: false });
    }
    const id = `pb-${randomUUID()}`;
    let resolveFinished!: (s: 'done' | 'failed') => void;
    let over = false;
    const finished = new Promise<'done' | 'failed'>((resolve) => (resolveFinished = resolve));
    const settle = (s: 'done' | 'failed') => {
      over = true;
      resolveFinished(s);
    };
    const onEnd = () => settle('failed');
    this.pending.add(onEnd);
    // Registered before the REST call: Asterisk may send PlaybackStarted/Finished before the 201.
    this.port.trackPlayback(id, this.id, (state) => {
      this.pending.delete(onEnd);
      settle(state);
    });
    try {
      await this.call(() => this.port.client().channels.playWithId({ channelId: this.id, playbackId: id, media, lang: opts.lang }), 'play');
    } catch (err) {
      this.pending.delete(onEnd);
      settle('failed');
      throw err;
    }
    const stop = async () => {
      try {
        await this.call(() => this.port.client().playbacks.stop({ playbackId: id }), 'stop playback');
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'ari-not-found')) throw err; // already finished
      }
    };
    return { id, finished, stop, isFinished: () => over };
  }

  async record(opts: { name: string; maxDurationSec: number; beep: boolean }): Promise<Recording> {
    this.assertLive('record');
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(opts.name))
      throw new AppError('bad-recording-name', 'recording name: letters, digits, _ and - only', { temporary: false });
    let settle!: (r: RecordingResult) => void;
    const finished = new Promise<RecordingResult>((resolve) => (settle = resolve));
    const onEnd = () => settle({ durationSec: null, state: 'done' });
    this.pending.add(onEnd);
    this.port.trackRecording(opts.name, this.id, (r) => {
      this.pending.delete(onEnd);
      settle(r);
    });
    try {
      await this.call(
        () =>
          this.port.client().channels.record({
            channelId: this.id,
            name: opts.name,
            format: 'wav',
            maxDurationSeconds: opts.maxDurationSec,
            beep: opts.beep,
            ifExists: 'overwrite',
            terminateOn: '#',
          }),
        'record',
      );
    } catch (err) {
      this.pending.delete(onEnd);
      settle({ durationSec: null, state: 'failed' });
      throw err;
    }
    return {
      name: opts.name,
      finished,
      stop: async () => {
        try {
          await this.call(() => this.port.client().recordings.stop({ recordingName: opts.name }), 'stop recording');
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'ari-not-found')) throw err;
        }
      },
      fetch: () => this.port.fetchRecording(opts.name),
    };
  }
}
