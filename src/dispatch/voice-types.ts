/** The seams of the voice dispatch engine: what it needs from speech, OnCall and the other channels. */
import type { Notification } from '../db/notifications-repo';
import type { User } from '../directory/user';
import type { PreparedPage } from '../ivr/call-types';

export interface Preparer {
  /**
   * Never rejects for OnCall or speech trouble: falls back to the message as received. `in-turn`
   * waits for a background slot (a first call, prepared while it rings); `now` starts at once.
   */
  prepare(n: Notification, user: User, signal: AbortSignal, mode?: 'now' | 'in-turn'): Promise<PreparedPage>;
  /** The person is listening and this page is not prepared yet: build it within `signal`, in a lane of its own ahead of the background line. */
  hurry(n: Notification, user: User, signal: AbortSignal): void;
}

/** Asks OnCall whether an alert group was acknowledged or resolved anywhere (stop retrying then). */
export interface SettledCheck {
  settled(alertGroupId: string, signal: AbortSignal): Promise<{ settled: boolean; detail: string }>;
}

/**
 * For pages dozvon raised itself (alerts): whether what the page is about was settled here
 * meanwhile, so a retry does not phone someone about an alert already closed. Null: not ours.
 */
export interface OwnPageSettledCheck {
  settledPage(n: Notification): Promise<{ settled: boolean; detail: string } | null>;
}

/** After the last failed call: hand the pages to the person's other channels. */
export interface VoiceFallback {
  handOver(user: User, pages: Notification[], reason: string): Promise<string>;
  /** Whether the person has a channel to hand over to (pages of those who do not keep waiting for telephony). */
  canHandOver?(user: User): boolean;
}
