/**
 * Live progress of calls placed by this instance (dialing, ringing, answered, each digit, the end),
 * kept in memory for a few minutes per notification so the console can show a test call as it
 * happens. The attempt row in the database stays the record; this is only the live view of it.
 */
export type CallPhase = 'dialing' | 'ringing' | 'answered' | 'digit' | 'action' | 'ended';

export interface CallProgressEvent {
  phase: CallPhase;
  at: number;
  callId: string;
  /** The digit pressed (phase digit). */
  digit?: string;
  /** Outcome and cause (phase ended), the action and what the caller heard (phase action). */
  outcome?: string;
  cause?: string | null;
  action?: string | null;
  result?: string | null;
}

export interface CallProgressSink {
  emit(notificationIds: readonly number[], e: CallProgressEvent): void;
}

type Listener = (e: CallProgressEvent) => void;

const KEEP_MS = 10 * 60_000;
const MAX_EVENTS = 100;
const MAX_TRACKED = 500;

export class CallProgress implements CallProgressSink {
  private readonly byNotification = new Map<number, { events: CallProgressEvent[]; touched: number }>();
  private readonly listeners = new Map<number, Set<Listener>>();

  constructor(private readonly now: () => number = Date.now) {}

  emit(notificationIds: readonly number[], e: CallProgressEvent): void {
    this.prune();
    for (const id of notificationIds) {
      const entry = this.byNotification.get(id) ?? { events: [], touched: 0 };
      if (entry.events.length < MAX_EVENTS) entry.events.push(e);
      entry.touched = this.now();
      this.byNotification.set(id, entry);
      for (const fn of this.listeners.get(id) ?? []) fn(e);
    }
  }

  /** What happened so far to this notification's calls on this instance (oldest first). */
  events(notificationId: number): CallProgressEvent[] {
    return [...(this.byNotification.get(notificationId)?.events ?? [])];
  }

  /** Calls `fn` for each later event; returns the unsubscribe function. */
  subscribe(notificationId: number, fn: Listener): () => void {
    const set = this.listeners.get(notificationId) ?? new Set<Listener>();
    set.add(fn);
    this.listeners.set(notificationId, set);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(notificationId);
    };
  }

  private prune(): void {
    const cutoff = this.now() - KEEP_MS;
    for (const [id, entry] of this.byNotification) if (entry.touched < cutoff) this.byNotification.delete(id);
    while (this.byNotification.size > MAX_TRACKED) {
      const oldest = this.byNotification.keys().next().value as number;
      this.byNotification.delete(oldest);
    }
  }
}
