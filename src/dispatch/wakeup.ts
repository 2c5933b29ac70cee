/** Lets the HTTP side wake the dispatch engines the moment a row is committed (no polling delay). */
import type { Notification } from '../db/notifications-repo';

export type WakeListener = (n: Notification) => void;

export class Wakeup {
  private listeners = new Set<WakeListener>();

  subscribe(fn: WakeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(n: Notification): void {
    for (const fn of this.listeners) {
      try {
        fn(n);
      } catch {
        // A listener's failure must not fail the HTTP request that already committed the row;
        // the engine's safety sweep picks the row up anyway.
      }
    }
  }
}
