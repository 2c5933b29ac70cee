/**
 * Runs the person-or-machine machine (detect.ts) on a live call: feeds it the leg's talk events
 * (TALK_DETECT is set by the originate, talkDetectOf), digits and one timer, and tells the call
 * what it decided. It starts at the answer and runs alongside the greeting: the first words never
 * wait for a verdict.
 */
import type { Clock, TimerHandle } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { CallLeg, TalkDetectOptions, TalkEvent } from '../telephony/types';
import { DetectEffect, DetectEvent, DetectSettings, DetectState, nextDetect, startDetect } from './detect';
import type { VoicemailSection } from './config';

export type WatchLeg = Pick<CallLeg, 'on' | 'off' | 'ended' | 'isTalking'>;

/** What the call's originate asks of Asterisk for this watch to hear talk. */
export function talkDetectOf(v: VoicemailSection): TalkDetectOptions {
  return { silenceMs: v.silence_ms, talkingThreshold: v.talking_threshold ?? null };
}

export interface MachineVerdict {
  why: string;
  /** Answer → verdict, ms on the call's clock. */
  afterMs: number;
}

/** After a machine verdict: leave the message now, or a digit showed a person after all. */
export type GreetingEnd = 'leave-message' | 'person' | 'hangup';

export function detectSettings(v: VoicemailSection): DetectSettings {
  return {
    machineTalkMs: v.machine_talk_ms,
    silenceMs: v.silence_ms,
    totalTalkMs: v.total_talk_ms,
    windowMs: v.window_ms,
    endSilenceMs: v.end_silence_ms,
    maxGreetingMs: v.max_greeting_ms,
  };
}

export class VoicemailWatch {
  private state: DetectState;
  private timer: TimerHandle | null = null;
  private disposed = false;
  private onMachine: (v: MachineVerdict) => void = () => undefined;
  private onGreetingEnd: ((e: GreetingEnd) => void) | null = null;
  private ending: GreetingEnd | null = null;
  /** Resolves on the machine verdict; stays pending for a person. */
  readonly machine: Promise<MachineVerdict>;
  verdict: 'undecided' | 'person' | 'machine' = 'undecided';

  constructor(
    private readonly leg: WatchLeg,
    private readonly clock: Clock,
    private readonly section: VoicemailSection,
    private readonly log: Logger,
  ) {
    this.machine = new Promise((resolve) => (this.onMachine = resolve));
    this.state = startDetect(clock.now(), detectSettings(section));
  }

  /** Listens: the leg was originated with talkDetectOf() (no request at the answer, see OriginateRequest). */
  start(): void {
    this.leg.on('talk', this.onTalk);
    this.leg.on('dtmf', this.onDigit);
    this.leg.on('ended', this.onEnded);
    this.arm();
    // Started a moment after the answer: a talk already going (a greeting that ran on from the
    // ringback, see ari-leg.ts) was announced before this listened.
    if (this.leg.isTalking()) this.onTalk({ talking: true });
  }

  /** After the machine verdict: resolves when the greeting has ended (or a digit, or the hangup). */
  greetingEnd(): Promise<GreetingEnd> {
    if (this.ending) return Promise.resolve(this.ending);
    return new Promise((resolve) => (this.onGreetingEnd = resolve));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.timer?.cancel();
    this.timer = null;
    this.leg.off('talk', this.onTalk);
    this.leg.off('dtmf', this.onDigit);
    this.leg.off('ended', this.onEnded);
  }

  private readonly onTalk = (e: TalkEvent): void =>
    this.feed(e.talking ? { type: 'talk-start' } : { type: 'talk-end', durationMs: e.durationMs });

  private readonly onDigit = (): void => this.feed({ type: 'digit' });

  private readonly onEnded = (): void => {
    this.end('hangup');
    this.dispose();
  };

  private feed(ev: DetectEvent): void {
    if (this.disposed) return;
    try {
      const t = nextDetect(this.state, ev, this.clock.now(), detectSettings(this.section));
      this.state = t.next;
      for (const e of t.effects) this.apply(e);
      this.arm();
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'voicemail detection failed');
    }
  }

  private apply(e: DetectEffect): void {
    if (e.type === 'machine') {
      this.verdict = 'machine';
      this.log.info({ afterMs: e.afterMs, why: e.why }, 'answering machine');
      this.onMachine({ why: e.why, afterMs: e.afterMs });
    } else if (e.type === 'person') {
      const wasMachine = this.verdict === 'machine';
      this.verdict = 'person';
      this.log.info({ why: e.why }, wasMachine ? 'a person after all' : 'a person');
      if (wasMachine) this.end('person');
    } else {
      this.log.info({ why: e.why }, 'greeting over: leaving the message');
      this.end('leave-message');
    }
  }

  private end(e: GreetingEnd): void {
    if (this.ending) return;
    this.ending = e;
    this.onGreetingEnd?.(e);
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = null;
    const at = this.state.wakeAt;
    if (at === null || this.disposed) return;
    this.timer = this.clock.setTimeout(() => this.feed({ type: 'tick' }), Math.max(0, at - this.clock.now()));
  }
}
