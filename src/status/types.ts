/**
 * What the status page shows, as plain data. The page is rendered from a StatusSource so it can
 * be tested with hand-made data; DbStatusSource reads the real tables.
 */
import type { Figures } from '../delivery';

/** A notification still being worked on: who is being paged and how far it got. */
export interface ActivePage {
  id: number;
  kind: string;
  state: string;
  /** The person's name, or their masked email when they are not in the directory. */
  who: string;
  /** Unmasked here; the renderer masks it. */
  phone: string | null;
  message: string;
  alertGroupId: string | null;
  receivedAt: number;
  attempts: number;
  nextAttemptAt: number | null;
  lastOutcome: string | null;
}

export interface RecentAttempt {
  notificationId: number;
  channel: string;
  who: string;
  phone: string | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  outcome: string | null;
  cause: string | null;
  digits: string | null;
  action: string | null;
  result: string | null;
}

export interface HeartbeatRow {
  name: string;
  kind: string;
  state: string;
  lastPingAt: number | null;
  periodS: number;
  graceS: number;
  enabled: boolean;
}

/** One channel or dependency: ARI, each sender, OnCall, TTS, the database. */
export interface HealthRow {
  name: string;
  ok: boolean;
  /** ok, degraded, down, unchecked or not configured; without it, ok/down from `ok`. */
  state?: string;
  detail?: string;
}

export interface StatusSource {
  activePages(limit: number): Promise<ActivePage[]>;
  recentAttempts(limit: number): Promise<RecentAttempt[]>;
  heartbeats(): Promise<HeartbeatRow[]>;
  health(): Promise<HealthRow[]>;
  queueDepth(): Promise<Record<string, number>>;
  /** Delivery figures over 24 h, 7 d and 30 d (src/delivery). */
  delivery?(now: number): Promise<Figures[]>;
}

/** Everything one page render needs, gathered in one go. */
export interface StatusSnapshot {
  now: number;
  pages: ActivePage[];
  attempts: RecentAttempt[];
  heartbeats: HeartbeatRow[];
  health: HealthRow[];
  queue: Record<string, number>;
  delivery?: Figures[];
  /** Sections whose source failed: shown as such instead of failing the whole page. */
  errors: string[];
}
