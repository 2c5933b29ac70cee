/**
 * Call state machines of the fake: each method emits the exact event sequence the contract
 * observed on a real Asterisk 22 (section numbers in the comments). Outbound calls to Local
 * endpoints have two halves (`;1` belongs to the app, `;2` simulates the phone); SIP endpoints are
 * a single channel that carries the real cause.
 */
import { EventEmitter } from 'node:events';
import { CAUSE_TEXT, FakeChannel } from './model';
import { TalkLine } from './talk';

export interface Timer {
  cancel(): void;
}

/** What a call needs from the server. */
export interface Hub {
  /** Sends an event to the app subscribed to `ch` (if any); `fields` come before `channel`. */
  emitChannel(ch: FakeChannel, type: string, fields?: Record<string, unknown>): void;
  /** Sends an event with no channel to an app (Dial, Playback*). */
  emitApp(app: string | null, type: string, fields: Record<string, unknown>): void;
  /** Delay in Asterisk milliseconds (scaled by timeScale). */
  after(ms: number, fn: () => void): Timer;
  hasApp(app: string): boolean;
  /** PlaybackFinished `failed` for every playback on the channel (hangup mid-prompt). */
  failPlaybacks(ch: FakeChannel): void;
  /** The channel is gone: drop it from the registry, its recordings and bridges. */
  forget(ch: FakeChannel): void;
  /** A digit arrived on the channel: a recording with a matching `terminateOn` stops (§ recordings). */
  dtmf?(ch: FakeChannel, digit: string): void;
  /** Asterisk time in ms (scripted delays read in it). */
  now(): number;
}

export type CallStage = 'dialing' | 'ringing' | 'up' | 'ended';

/** Common face of outbound and inbound calls for scripts and the test DSL. */
export abstract class FakeCall extends EventEmitter {
  stage: CallStage = 'dialing';
  protected timers: Timer[] = [];
  endCause: number | null = null;
  /** The far end's voice as TALK_DETECT on the app's channel hears it. */
  readonly talkLine = new TalkLine({
    now: () => this.hub.now(),
    after: (ms, fn) => {
      const t = this.hub.after(ms, () => {
        if (!this.ended) fn();
      });
      this.timers.push(t);
      return t;
    },
    emit: (type, fields) => this.hub.emitChannel(this.main, type, fields),
  });

  constructor(
    protected readonly hub: Hub,
    readonly main: FakeChannel,
    readonly number: string,
  ) {
    super();
  }

  get ended(): boolean {
    return this.stage === 'ended';
  }

  /** Schedules a scripted step that dies with the call. */
  schedule(ms: number, fn: () => void): void {
    this.timers.push(
      this.hub.after(ms, () => {
        if (!this.ended) fn();
      }),
    );
  }

  /** One ChannelDtmfReceived per digit, `gapMs` apart (a real Asterisk reports duration_ms 100 for every digit). */
  press(digits: string, gapMs = 400): void {
    [...digits].forEach((digit, i) =>
      this.schedule(i * gapMs, () => {
        if (this.stage !== 'up') return;
        this.beforeDtmf(digit);
        this.hub.dtmf?.(this.main, digit);
        this.hub.emitChannel(this.main, 'ChannelDtmfReceived', { digit, duration_ms: 100 });
      }),
    );
  }

  /** The far end talks for `ms` (a greeting, a "hello?"); reported only where TALK_DETECT is set. */
  talk(ms: number): void {
    if (this.stage === 'up') this.talkLine.talk(ms);
  }

  /** Sound before the answer (a carrier's ringback or announcement as early media): the detector hears it as talk. */
  earlyMedia(ms: number): void {
    if (this.stage !== 'up' && !this.ended) this.talkLine.talk(ms);
  }

  protected beforeDtmf(_digit: string): void {}

  protected finish(cause: number): void {
    this.stage = 'ended';
    this.endCause = cause;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.emit('ended', cause);
  }

  /** Asterisk restarted: the channel vanishes without a single event. */
  vanish(): void {
    if (this.ended) return;
    this.main.destroyed = true;
    this.hub.forget(this.main);
    this.finish(-1);
  }

  abstract answer(): void;
  abstract remoteHangup(cause?: number): void;
  abstract appHangup(cause: number): void;
  /** Called by the media layer when a playback starts on the main channel. */
  playbackStarted(mediaUri: string): void {
    this.emit('playback', mediaUri);
  }
}

export interface OutboundOptions {
  app: string;
  appArgs: string[];
  dialstring: string;
  /** Ring timeout in seconds; -1: none. */
  timeoutSec: number;
}

export class OutboundCall extends FakeCall {
  constructor(
    hub: Hub,
    main: FakeChannel,
    readonly other: FakeChannel | null,
    number: string,
    private readonly opts: OutboundOptions,
  ) {
    super(hub, main, number);
  }

  private dial(status: string): void {
    this.hub.emitApp(this.opts.app, 'Dial', {
      dialstatus: status,
      forward: '',
      dialstring: this.opts.dialstring,
      peer: this.main.snapshot(),
    });
  }

  private dialplan(app: string, data: string): void {
    if (!this.other) return;
    this.other.dialplan = { ...this.other.dialplan, app_name: app, app_data: data };
    this.hub.emitChannel(this.other, 'ChannelDialplan', { dialplan_app: app, dialplan_app_data: data });
  }

  private destroy(ch: FakeChannel, cause: number): void {
    if (ch.destroyed) return;
    ch.destroyed = true;
    this.hub.emitChannel(ch, 'ChannelDestroyed', { cause, cause_txt: CAUSE_TEXT[cause] ?? 'Unknown' });
    this.hub.forget(ch);
  }

  private hangupRequest(ch: FakeChannel, cause: number, soft = false): void {
    this.hub.emitChannel(ch, 'ChannelHangupRequest', soft ? { cause, soft: true } : { cause });
  }

  private setState(ch: FakeChannel, state: string): void {
    ch.state = state;
    this.hub.emitChannel(ch, 'ChannelStateChange');
  }

  /** Right after the originate reply: `;2` caller-id noise, then the dial starts. */
  begin(known: boolean): void {
    const two = this.other;
    if (two) {
      this.hub.emitChannel(two, 'ChannelCallerId', {
        caller_presentation: 0,
        caller_presentation_txt: 'Presentation Allowed, Not Screened',
      });
      this.hub.emitChannel(two, 'ChannelConnectedLine');
    }
    if (!known) return this.unknownNumber();
    this.dial('');
    this.dialplan('NoOp', `Simulated phone ${this.number}`);
  }

  /** Local: both halves destroyed at once with cause 0, no Dial. SIP: the trunk answers 404 → cause 1. */
  private unknownNumber(): void {
    if (this.other) {
      this.destroy(this.other, 0);
      this.destroy(this.main, 0);
      return this.finish(0);
    }
    this.dial('');
    this.dial('NOANSWER');
    this.destroy(this.main, 1);
    this.finish(1);
  }

  /** `;1` goes Ringing, Dial RINGING; the originate timeout starts (no final Dial when it expires). */
  ring(): void {
    if (this.stage !== 'dialing') return;
    this.stage = 'ringing';
    this.dialplan('Ringing', '');
    this.setState(this.main, 'Ringing');
    this.dial('RINGING');
    if (this.opts.timeoutSec >= 0) this.schedule(this.opts.timeoutSec * 1000, () => this.ringOut());
  }

  /** Rang out: cause 19 on both halves, and no final Dial. */
  private ringOut(): void {
    if (this.stage !== 'ringing') return;
    if (this.other) {
      this.hangupRequest(this.other, 19);
      this.destroy(this.main, 19);
      this.hangupRequest(this.other, 16, true);
      this.destroy(this.other, 19);
    } else {
      this.destroy(this.main, 19);
    }
    this.finish(19);
  }

  /** After ringing, or answered at once (`;2` Up first, no Ringing). */
  answer(): void {
    if (this.stage !== 'dialing' && this.stage !== 'ringing') return;
    const wasRinging = this.stage === 'ringing';
    this.stage = 'up';
    this.dialplan('Answer', '');
    if (this.other && !wasRinging) this.setState(this.other, 'Up');
    this.setState(this.main, 'Up');
    if (this.other && wasRinging) this.setState(this.other, 'Up');
    this.dial('ANSWER');
    if (!this.hub.hasApp(this.opts.app)) return this.remoteHangup(16); // nobody listens for the app: Asterisk hangs the answered channel up
    this.main.dialplan = { ...this.main.dialplan, app_name: 'Stasis', app_data: [this.opts.app, ...this.opts.appArgs].join(',') };
    this.hub.emitChannel(this.main, 'ChannelVarset', { variable: 'STASISSTATUS', value: '' });
    this.main.inStasis = true;
    this.hub.emitChannel(this.main, 'StasisStart', { args: [...this.opts.appArgs] });
    this.emit('answered');
  }

  protected override beforeDtmf(digit: string): void {
    this.dialplan('SendDTMF', digit);
  }

  private leaveStasis(): void {
    if (!this.main.inStasis) return;
    this.main.inStasis = false;
    this.hub.emitChannel(this.main, 'StasisEnd');
    this.hub.emitChannel(this.main, 'ChannelVarset', { variable: 'STASISSTATUS', value: 'SUCCESS' });
    this.main.dialplan = { ...this.main.dialplan, app_name: 'AppDial2', app_data: '(Outgoing Line)' };
  }

  /** The phone hangs up: after an answer (also mid-prompt), or a cancel before it. */
  remoteHangup(cause = 16): void {
    if (this.ended) return;
    if (this.stage !== 'up') return this.reject(cause);
    this.dialplan('Hangup', '');
    if (this.other) {
      this.hangupRequest(this.other, 16, true);
      this.hangupRequest(this.main, cause);
      this.destroy(this.other, cause);
    } else {
      this.hangupRequest(this.main, cause);
    }
    this.hub.failPlaybacks(this.main);
    this.leaveStasis();
    this.destroy(this.main, cause);
    this.finish(cause);
  }

  /** Rings, then Hangup(21): NOANSWER and cause 21 on both halves. */
  reject(cause = 21): void {
    if (this.ended || this.stage === 'up') return;
    if (this.other) {
      this.hangupRequest(this.other, 16, true);
      this.hangupRequest(this.main, cause);
      this.destroy(this.other, cause);
    } else {
      this.hangupRequest(this.main, cause);
    }
    this.dial('NOANSWER');
    this.destroy(this.main, cause);
    this.finish(cause);
  }

  /** The app's `;1` dies with cause 0 in state Down; busy shows in Dial and on `;2` (17). */
  busy(): void {
    this.failBeforeAnswer('BUSY', 17);
  }

  /** Like busy, cause 34 on `;2`, no RINGING. */
  congestion(): void {
    this.failBeforeAnswer('CONGESTION', 34);
  }

  private failBeforeAnswer(status: 'BUSY' | 'CONGESTION', cause: number): void {
    if (this.stage !== 'dialing') return;
    const two = this.other;
    if (!two) {
      this.dial(status);
      this.destroy(this.main, cause);
      return this.finish(cause);
    }
    if (status === 'BUSY') this.setState(two, 'Busy');
    this.dial(status);
    this.hangupRequest(two, 0);
    this.destroy(this.main, 0);
    if (status === 'CONGESTION') this.setState(two, 'Busy');
    this.hangupRequest(two, 16, true);
    this.destroy(two, cause);
    this.finish(0);
  }

  /**
   * The carrier refuses the INVITE with a final response before anything rang (a SIP endpoint
   * only): as Asterisk 22.10 was seen to report a 503, the hard hangup request and ChannelDestroyed
   * both carry the cause and the SIP code as `tech_cause`; no Ringing, no StasisStart.
   */
  carrierRefuses(cause: number, sipCode: number): void {
    if (this.stage !== 'dialing' || this.other) return;
    this.hub.emitChannel(this.main, 'ChannelHangupRequest', { cause, tech_cause: sipCode });
    this.dial(cause === 34 || cause === 42 ? 'CONGESTION' : cause === 3 || cause === 20 ? 'CHANUNAVAIL' : 'NOANSWER');
    if (this.main.destroyed) return;
    this.main.destroyed = true;
    this.hub.emitChannel(this.main, 'ChannelDestroyed', { cause, cause_txt: CAUSE_TEXT[cause] ?? 'Unknown', tech_cause: sipCode });
    this.hub.forget(this.main);
    this.finish(cause);
  }

  /**
   * The INVITE goes unanswered (a contact where nothing listens): the channel stays Down, never
   * rings, and ends at the originate timeout with cause 19 and `tech_cause` 480.
   */
  neverAnswered(): void {
    if (this.stage !== 'dialing' || this.other) return;
    if (this.opts.timeoutSec < 0) return;
    this.schedule(this.opts.timeoutSec * 1000, () => {
      if (this.stage !== 'dialing' || this.main.destroyed) return;
      this.main.destroyed = true;
      this.hub.emitChannel(this.main, 'ChannelDestroyed', { cause: 19, cause_txt: CAUSE_TEXT[19], tech_cause: 480 });
      this.hub.forget(this.main);
      this.finish(19);
    });
  }

  /** `DELETE /channels/{id}`, when up or while ringing. Soft request with flag 32 first. */
  appHangup(cause: number): void {
    if (this.ended) return;
    this.hangupRequest(this.main, 32, true);
    if (this.stage === 'up') {
      this.hub.failPlaybacks(this.main);
      this.leaveStasis();
    } else {
      this.dial('NOANSWER');
    }
    if (this.other) this.hangupRequest(this.other, cause);
    this.destroy(this.main, cause);
    if (this.other) {
      this.hangupRequest(this.other, 16, true);
      this.destroy(this.other, cause);
    }
    this.finish(cause);
  }
}

/** A caller that entered `Stasis(app,args)` from the dialplan: StasisStart in state Ring, with the args. */
export class InboundCall extends FakeCall {
  /** StasisStart first, in state Ring, with the dialplan's args. */
  begin(args: string[]): void {
    this.main.state = 'Ring';
    this.main.inStasis = true;
    this.hub.emitChannel(this.main, 'StasisStart', { args: [...args] });
  }

  /** `POST /answer`: the state change goes out before the 204, as Asterisk sends it. */
  answer(): void {
    if (this.stage !== 'dialing') return;
    this.stage = 'up';
    this.main.state = 'Up';
    this.hub.emitChannel(this.main, 'ChannelStateChange');
    this.emit('answered');
  }

  /** The caller hangs up: hard request (no `soft` key), playbacks fail, StasisEnd, and nothing after it. */
  remoteHangup(cause = 16): void {
    this.end({ cause }, cause);
  }

  /** The app hangs up: soft request with flag 32, then StasisEnd. */
  appHangup(cause: number): void {
    this.end({ cause: 32, soft: true }, cause);
  }

  private end(request: Record<string, unknown>, cause: number): void {
    if (this.ended) return;
    this.hub.emitChannel(this.main, 'ChannelHangupRequest', request);
    this.hub.failPlaybacks(this.main);
    this.main.inStasis = false;
    this.hub.emitChannel(this.main, 'StasisEnd');
    this.main.app = null; // the subscription ended with Stasis: no ChannelDestroyed
    this.main.destroyed = true;
    this.hub.forget(this.main);
    this.finish(cause);
  }
}
