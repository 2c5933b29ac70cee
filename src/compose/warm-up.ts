/**
 * Every accepted call page starts its correlation and speech at once, before anyone dials.
 * A storm of pages for the same people should not cost a directory read each: keep them a few seconds.
 */
import type { User } from '../directory/user';
import { VOICE_KINDS, VoiceEngine } from '../dispatch/voice-engine';
import type { PagePreparer } from '../dispatch/page-preparer';
import type { Stores } from './stores';

const KEEP_MS = 5_000;
const MAX_KEPT = 1000;

export function warmUpPages(stores: Stores, voice: VoiceEngine, preparer: PagePreparer): void {
  const { users, now, logger } = stores;
  const recentUsers = new Map<number, { at: number; user: Promise<User | null> }>();
  stores.wakeup.subscribe((n) => {
    if (!(VOICE_KINDS as readonly string[]).includes(n.kind) || n.userId === null) return;
    // Pages for someone already on the phone with us wait for that call; they are prepared when it ends.
    if (voice.isBusyWith(n.userId)) return;
    let hit = recentUsers.get(n.userId);
    if (!hit || now() - hit.at > KEEP_MS) {
      if (recentUsers.size > MAX_KEPT) recentUsers.clear();
      hit = { at: now(), user: users.getById(n.userId) };
      recentUsers.set(n.userId, hit);
    }
    void hit.user.then(
      (u) => u && preparer.warm(n, u),
      (e: unknown) => logger.warn({ err: String(e) }, 'warm-up lookup failed'),
    );
  });
}
