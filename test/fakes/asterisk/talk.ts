/**
 * Asterisk's TALK_DETECT (funcs/func_talkdetect.c, 22.10.1) as the fake's far end needs it: the
 * dialplan function's write accepts exactly what the C code accepts, and a call's talk is reported
 * as ChannelTalkingStarted / ChannelTalkingFinished only while the function is set on the channel.
 * Finished comes a silence threshold after the talk stops and carries the talk's length
 * (the C code: time since it started minus that threshold).
 */
import type { Timer } from './calls';

export interface TalkSetting {
  silenceMs: number;
  /** null: dsp.conf's silencethreshold (256 by default). */
  talkingThreshold: number | null;
}

/** DEFAULT_SILENCE_THRESHOLD in func_talkdetect.c. */
const DEFAULT_SILENCE_MS = 2500;

/**
 * `TALK_DETECT(<arg>)=<value>`: the setting, 'remove', or null where the C code returns -1 (then ARI
 * answers 400 "Failed to execute function"). sscanf("%30d") reads leading blanks, a sign and digits,
 * and ignores what follows; AST_STANDARD_APP_ARGS splits on commas.
 */
export function writeTalkDetect(arg: string, value: string): TalkSetting | 'remove' | null {
  if (arg === '') return null;
  if (arg.toLowerCase() === 'remove') return 'remove';
  if (arg.toLowerCase() !== 'set') return null;
  const [silence = '', talking = ''] = value.split(',');
  const read = (s: string): number | null | 'bad' => {
    if (s === '') return null;
    const m = /^\s*([+-]?\d+)/.exec(s);
    if (!m) return 'bad';
    const n = Number(m[1]);
    return n < 1 || n > 2 ** 31 - 1 ? 'bad' : n;
  };
  const silenceMs = read(silence);
  const talkingThreshold = read(talking);
  if (silenceMs === 'bad' || talkingThreshold === 'bad') return null;
  return { silenceMs: silenceMs ?? DEFAULT_SILENCE_MS, talkingThreshold };
}

export interface TalkPort {
  /** Asterisk time, ms. */
  now(): number;
  /** A timer that dies with the call. */
  after(ms: number, fn: () => void): Timer;
  emit(type: 'ChannelTalkingStarted' | 'ChannelTalkingFinished', fields?: Record<string, unknown>): void;
}

/** The far end's voice on one call, as the talk detector on the app's channel hears it. */
export class TalkLine {
  private setting: TalkSetting | null = null;
  /** The far end is sending voice right now. */
  private voice = false;
  /** The detector's view: talking since (null: silent). */
  private since: number | null = null;
  /** Talk heard in the current stretch: scripted lengths plus the pauses too short to end it. */
  private heardMs = 0;
  private voiceEndedAt = 0;
  private quiet: Timer | null = null;

  constructor(private readonly port: TalkPort) {}

  /** Writes TALK_DETECT; false where Asterisk refuses (remove while not set). */
  write(w: TalkSetting | 'remove'): boolean {
    if (w === 'remove') {
      if (!this.setting) return false;
      this.setting = null;
      this.quiet?.cancel();
      this.quiet = null;
      this.since = null;
      return true;
    }
    this.setting = w;
    if (this.voice) this.started(); // the next voice frame is heard
    return true;
  }

  get enabled(): boolean {
    return this.setting !== null;
  }

  /** The far end talks for `ms` (Asterisk ms) from now. */
  talk(ms: number): void {
    this.voice = true;
    // A pause shorter than the silence threshold does not end the stretch: it counts as part of it.
    if (this.quiet && this.since !== null) this.heardMs += Math.round(this.port.now() - this.voiceEndedAt);
    this.quiet?.cancel();
    this.quiet = null;
    if (this.setting) this.started();
    this.port.after(ms, () => {
      this.voice = false;
      if (!this.setting || this.since === null) return;
      // Scripted lengths rather than measured ones: under a timeScale the wall clock is too coarse.
      this.heardMs += ms;
      this.voiceEndedAt = this.port.now();
      this.quiet = this.port.after(this.setting.silenceMs, () => {
        if (this.since === null) return;
        const duration = this.heardMs;
        this.since = null;
        this.quiet = null;
        this.port.emit('ChannelTalkingFinished', { duration });
      });
    });
  }

  private started(): void {
    if (this.since !== null) return;
    this.since = this.port.now();
    this.heardMs = 0;
    this.port.emit('ChannelTalkingStarted');
  }
}
