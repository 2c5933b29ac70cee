/** The notifications and attempts rows as the rest of dozvon sees them, and the mapping from the table. */
import type { Tx } from '../knex';

export const NOTIFICATION_KINDS = ['call', 'sms', 'push', 'webhook'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationState = 'pending' | 'active' | 'delivered' | 'failed' | 'cancelled';
export type Correlation = 'exact' | 'matched' | 'none';

export interface Notification {
  id: number;
  kind: NotificationKind;
  source: string;
  userId: number | null;
  email: string;
  message: string;
  payload: unknown;
  alertGroupId: string | null;
  correlation: Correlation | null;
  receivedAt: number;
  state: NotificationState;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  outcome: string | null;
  reason: string | null;
  finishedAt: number | null;
  /** The enqueue's dedupe key, when it had one (direct pages: `<event>:<user id>:<kind>`). */
  dedupeKey?: string | null;
}

export interface Attempt {
  id: number;
  notificationId: number;
  channel: string;
  instance: string | null;
  callId: string | null;
  startedAt: number;
  ringingAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  outcome: string | null;
  cause: string | null;
  digits: string | null;
  action: string | null;
  result: string | null;
  /** Null when the rendered speech played; otherwise why recorded prompts stood in for it. */
  speech: string | null;
  /** What the phone was played, in order (the console's Listen button); null before migration 011 or for messages. */
  played?: PlayedItem[] | null;
  /** The trunk that carried the call (the last leg's), null for messages and before trunks were named. */
  trunk?: string | null;
  /** Every dial of this attempt in order; null for messages and attempts made before legs were kept. */
  legs?: DialLeg[] | null;
}

/** One dial inside an attempt: which trunk and which of the person's phones, and how it ended. */
export interface DialLeg {
  trunk: string;
  /** Index into the person's ordered phones (0 = the first); never the number itself. */
  phoneIndex: number;
  startedAt: number;
  endedAt: number | null;
  /** The call outcome of this leg (answered, busy, no-answer, congestion, unreachable, ...). */
  outcome: string;
  /** Q.850 hangup cause, when Asterisk gave one. */
  cause: number | null;
  /** The SIP response code behind it (ARI `tech_cause`), when Asterisk gave one. */
  sipCode: number | null;
}

/** One playback request as the telephony received it: the media list and its language. */
export interface PlayedItem {
  media: string[];
  lang: string;
  /** The playback failed (speech that could not be fetched): the phone did not hear it. */
  failed?: boolean;
  /** Cut short (a digit pressed over it, or the call ended): it played for this many ms. */
  cutAfterMs?: number;
  /** What its rendered speech was, as the call said when it played it. */
  speech?: 'summary' | 'reply';
}

export interface EnqueueInput {
  kind: NotificationKind;
  source: string;
  userId: number | null;
  email: string;
  message: string;
  payload?: unknown;
  alertGroupId?: string | null;
  correlation?: Correlation | null;
  /** Same key twice → the first row is returned and nothing new is stored. */
  dedupeKey?: string | null;
}

/** Optional check run inside the enqueue transaction, e.g. the daily limit. Throw to refuse. */
export type EnqueueGuard = (tx: Tx) => Promise<void>;

export interface Row {
  id: number;
  kind: string;
  source: string;
  user_id: number | null;
  email: string;
  message: string;
  payload: string | null;
  alert_group_id: string | null;
  correlation: string | null;
  received_at: number | string;
  state: string;
  attempts: number;
  next_attempt_at: number | string;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  outcome: string | null;
  reason: string | null;
  finished_at: number | string | null;
  dedupe_key?: string | null;
}

export const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toNotification(r: Row): Notification {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    source: r.source,
    userId: r.user_id,
    email: r.email,
    message: r.message,
    payload: r.payload === null ? null : JSON.parse(r.payload),
    alertGroupId: r.alert_group_id,
    correlation: r.correlation as Correlation | null,
    receivedAt: Number(r.received_at),
    state: r.state as NotificationState,
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    leaseOwner: r.lease_owner,
    leaseExpiresAt: num(r.lease_expires_at),
    outcome: r.outcome,
    reason: r.reason,
    finishedAt: num(r.finished_at),
    dedupeKey: r.dedupe_key ?? null,
  };
}
