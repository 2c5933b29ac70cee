/**
 * The telephony seam: everything the IVR and dispatch need from a phone system. AriTelephony is the
 * real one (Asterisk ARI), NoTelephony is used when no Asterisk is configured; tests may use either
 * against the fake Asterisk.
 */

export type CallOutcome = 'answered' | 'busy' | 'no-answer' | 'rejected' | 'congestion' | 'failed' | 'unreachable';

export interface CallEnd {
  outcome: CallOutcome;
  answered: boolean;
  /** Q.850 cause as read from Asterisk (the more specific of the leg and its Local partner), null when unknown. */
  cause: number | null;
  causeText: string;
  /** The SIP response code that ended the leg (ARI `tech_cause`), null when Asterisk gave none. */
  sipCode?: number | null;
  /** Last `Dial.dialstatus` seen (BUSY, NOANSWER, ...), null when no Dial event arrived. */
  dialStatus: string | null;
  /** The leg's fate is unknown: the Asterisk connection was lost or taken over mid-call. */
  lostConnection?: boolean;
}

export interface Playback {
  id: string;
  /** Never rejects: 'failed' also when the leg hangs up or the connection is lost. */
  finished: Promise<'done' | 'failed'>;
  /** Stops the playback at once (barge-in); a playback that already ended is fine. */
  stop(): Promise<void>;
  /**
   * Whether its end is already known, at once: a digit read in the same network read as the
   * end of the playback runs before `finished`'s callbacks, and must not count as cutting it short.
   */
  isFinished?(): boolean;
}

export interface RecordingResult {
  /** Seconds as reported by Asterisk; null when the recording ended without a report (hangup, lost connection). */
  durationSec: number | null;
  state: 'done' | 'failed';
}

export interface Recording {
  name: string;
  finished: Promise<RecordingResult>;
  stop(): Promise<void>;
  /** The stored file (WAV bytes). */
  fetch(): Promise<Buffer>;
}

/** Asterisk's talk detection on audio from the far end: `talking` false carries how long the talk lasted. */
export type TalkEvent = { talking: true } | { talking: false; durationMs: number };

export type LegEvents = {
  /** The far end said it is alerting (SIP 180): something rang, so a failure after this is the person's, not the carrier's. */
  ringing: () => void;
  answered: () => void;
  dtmf: (digit: string) => void;
  ended: (end: CallEnd) => void;
  /** Only on a leg originated with `talkDetect`; a talk under way at the answer starts at the answer. */
  talk: (e: TalkEvent) => void;
};

export interface TalkDetectOptions {
  /** Silence that ends a stretch of talk (Asterisk's dsp_silence_threshold, ms, ≥ 1). */
  silenceMs: number;
  /** Energy above which a frame counts as talk (dsp_talking_threshold, ≥ 1); null keeps Asterisk's dsp.conf value. */
  talkingThreshold: number | null;
}

export interface CallLeg {
  readonly id: string;
  readonly direction: 'outbound' | 'inbound';
  /** Caller number of an inbound leg; null for outbound. */
  readonly callerNumber: string | null;
  /** The ARI base URL of the Asterisk server that carries this leg. */
  readonly server: string;
  isUp(): boolean;
  /** The far end rang or answered; kept, because the `ringing` event can come before the originate returns. */
  hasRung(): boolean;
  /** The far end is talking now, as talk detection last said (a listener added mid-talk starts from here). */
  isTalking(): boolean;
  ended(): CallEnd | null;
  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void;
  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void;
  answer(): Promise<void>;
  /** `speech` names what rendered speech this is, for the record Listen reads (the media alone cannot tell). */
  play(media: string[], opts?: { lang?: string; speech?: 'summary' | 'reply' }): Promise<Playback>;
  hangup(reason?: HangupReason): Promise<void>;
  record(opts: { name: string; maxDurationSec: number; beep: boolean }): Promise<Recording>;
}

export type HangupReason = 'normal' | 'busy' | 'congestion' | 'no_answer' | 'rejected' | 'failure';

export interface OriginateRequest {
  /** A dial string made by buildDialString(). */
  endpoint: string;
  callerId: string;
  timeoutSec: number;
  /** Arguments for StasisStart; no commas inside one argument (ARI splits on them). */
  appArgs?: string[];
  /**
   * Talk detection set on the channel as Asterisk creates it: in place from the first word after
   * the answer, and nothing to ask of Asterisk then. Asked for at the answer instead, it raced the
   * greeting for the channel, and lost it would wait behind the whole greeting (a channel runs its
   * requests one at a time, and a playback holds it to its end).
   */
  talkDetect?: TalkDetectOptions;
}

export interface ServerHealth {
  url: string;
  /** `replaced`: another client holds our Stasis app on this server; we ask again with backoff and take it when it is free. */
  state: 'connecting' | 'connected' | 'reconnecting' | 'replaced' | 'stopped';
  error: string | null;
  since: number;
  activeLegs: number;
}

export interface TelephonyHealth {
  ok: boolean;
  configured: boolean;
  message: string;
  servers: ServerHealth[];
}

export interface Bridge {
  id: string;
  destroy(): Promise<void>;
}

export interface Telephony {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): TelephonyHealth;
  originate(req: OriginateRequest): Promise<CallLeg>;
  onInbound(fn: (leg: CallLeg, args: string[]) => void): void;
  bridge(a: CallLeg, b: CallLeg): Promise<Bridge>;
}
