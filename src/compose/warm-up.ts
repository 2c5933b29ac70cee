/**
 * Every accepted call page starts its correlation and speech before anyone dials (in the
 * preparer's background line). A storm of pages for the same people should not cost a directory
 * read each: keep them a few seconds. Pages that arrive together (a burst for a whole team) are
 * looked up in one query, not one each on the database connection the burst is dialled through.
 */
import type { User } from '../directory/user';
import { VOICE_KINDS, VoiceEngine } from '../dispatch/voice-engine';
import type { PagePreparer } from '../dispatch/page-preparer';
import type { Notification } from '../db/notifications-repo';
import type { Stores } from './stores';

const KEEP_MS = 5_000;
const MAX_KEPT = 1000;

/**
 * Stopped before the database closes (app.ts): pages accepted from then on are not warmed, and
 * the lookups under way are waited for. A page accepted just before a stop otherwise read the
 * directory after the pool was gone ("Acquire connection error: aborted").
 */
export interface WarmUp {
  stop(): Promise<void>;
}

export function warmUpPages(stores: Stores, voice: VoiceEngine, preparer: PagePreparer): WarmUp {
  // On the read connections: the writer is the burst's own path (its inserts, claim and attempts).
  const { now, logger } = stores;
  const users = stores.reads.users;
  const recentUsers = new Map<number, { at: number; user: Promise<User | null> }>();
  let batch: Map<number, ((u: User | null) => void)[]> | null = null;
  let stopped = false;
  const lookups = new Set<Promise<unknown>>();

  /** Everyone asked for in this turn of the event loop, in one query. */
  const lookUp = (id: number): Promise<User | null> =>
    new Promise((resolve) => {
      if (!batch) {
        const mine = (batch = new Map<number, ((u: User | null) => void)[]>());
        setImmediate(() => {
          batch = null;
          if (stopped) return mine.forEach((waiters) => waiters.forEach((w) => w(null)));
          const lookup = users.getManyById([...mine.keys()]).then(
            (found) => mine.forEach((waiters, uid) => waiters.forEach((w) => w(found.get(uid) ?? null))),
            (e: unknown) => {
              logger.warn({ err: String(e) }, 'warm-up lookup failed');
              mine.forEach((waiters) => waiters.forEach((w) => w(null)));
            },
          );
          lookups.add(lookup);
          void lookup.finally(() => lookups.delete(lookup));
        });
      }
      batch.set(id, [...(batch.get(id) ?? []), resolve]);
    });

  stores.wakeup.subscribe((n: Notification) => {
    if (stopped || !(VOICE_KINDS as readonly string[]).includes(n.kind) || n.userId === null) return;
    // Pages for someone already on the phone with us wait for that call; they are prepared when it ends.
    if (voice.isBusyWith(n.userId)) return;
    let hit = recentUsers.get(n.userId);
    if (!hit || now() - hit.at > KEEP_MS) {
      if (recentUsers.size > MAX_KEPT) recentUsers.clear();
      hit = { at: now(), user: lookUp(n.userId) };
      recentUsers.set(n.userId, hit);
    }
    void hit.user.then((u) => u && !stopped && preparer.warm(n, u));
  });
  return {
    async stop() {
      stopped = true;
      // A lookup asked for in this very turn starts on the next one, and finds the stop.
      await new Promise((r) => setImmediate(r));
      await Promise.allSettled([...lookups]);
      await preparer.stop();
    },
  };
}
