/**
 * The contract between the voice engine and the call it asks for: dispatch decides whom to call
 * and with which pages, ivr places the call and reports what happened. Here, in the lower layer,
 * so that ivr never needs dispatch.
 */
import type { DialLeg, Notification, PlayedItem } from '../db/notifications-repo';
import type { User, Lang } from '../directory/user';
import type { Summary } from '../oncall/summary';

/** How one call attempt ended, as the retry policy reads it. */
export type AttemptOutcome =
  | 'answered'
  | 'busy'
  | 'no-answer'
  | 'rejected'
  | 'congestion'
  | 'failed'
  | 'unreachable'
  | 'interrupted'
  | 'not-configured'
  | 'unavailable'
  /** An answering machine took the call: one short message was left (not delivery). */
  | 'voicemail';

/** One page ready to be read out: correlated, summarised and (when possible) rendered. */
export interface PreparedPage {
  notification: Notification;
  alertGroupId: string | null;
  correlation: 'exact' | 'matched' | 'none';
  /** What the listener hears for this page, in their language. */
  text: string;
  lang: Lang;
  /** Facts behind the text (null when even the message could not be summarised). */
  summary: Summary | null;
}

export interface OutboundCall {
  callId: string;
  user: User;
  /** The pages as they stand; unprepared (the message as received) when `ready` is given. */
  pages: PreparedPage[];
  /** Ring first: the prepared pages, finished while the phone rings; the runner dials without waiting. */
  ready?: Promise<PreparedPage[]>;
  /** Told once, when the first phone rings or the call ends without ringing: the originate is behind it. */
  onDialled?: () => void;
  /**
   * Answered before `ready`: the pages still waiting in the background line of preparation are
   * prepared now, ahead of pages whose phones are still ringing (the engineer is listening).
   */
  hurry?: () => void;
}

/** Everything one call attempt produced, written to the attempts table. */
export interface CallReport {
  outcome: AttemptOutcome;
  /** A digit was pressed: the only thing that counts as delivered. */
  delivered: boolean;
  digits: string;
  action: string | null;
  actionStatus: 'done' | 'already' | 'failed' | null;
  /** What the caller heard as the result of the action. */
  result: string | null;
  cause: string | null;
  ringingAt: number | null;
  answeredAt: number | null;
  endedAt: number;
  /** Alert groups that are acknowledged or resolved after this call (no more calls for them). */
  settledAlertGroups: string[];
  /** Null when the rendered speech played; else why recorded prompts stood in (PlayableTelephony). */
  speech?: string | null;
  /** Every playback the phone was given, in order (PlayableTelephony records it). */
  played?: PlayedItem[];
  /** The trunk of the leg the call went on with; null when nothing was dialled. */
  trunk?: string | null;
  /** Every dial of this attempt in order, failed trunks included. */
  legs?: DialLeg[];
}

export interface CallRunner {
  run(call: OutboundCall, signal: AbortSignal): Promise<CallReport>;
}
