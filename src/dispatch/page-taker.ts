/**
 * Digit 1 on a page dozvon sent by itself: the person has it. Everyone else
 * paged about the same event (a heartbeat's page list) is told who took it, and their pages that
 * have not rung yet are cancelled: one person is enough, and the others know who to ask.
 *
 * The event is read from the pages' dedupe keys: DirectPager stores `<event>:<user id>:<kind>`
 * (heartbeats: `hb:<name>:<down|up>:<since>`), so the others' pages share the `<event>:` prefix.
 * Pages without such a key (a test call, a self-check report) have nobody else to tell.
 */
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { DirectPager } from './direct-pager';
import type { PageTaking } from '../ivr/without-oncall';

/** The notices sent by a take; a take of one of those tells nobody again. */
export const TAKEN_SOURCE = 'page-taken';

export interface PageTakerDeps {
  notifications: Pick<NotificationsRepo, 'findByDedupePrefix' | 'cancelPending'>;
  users: Pick<UsersRepo, 'getByEmail'>;
  pager: Pick<DirectPager, 'page'>;
  logger: Logger;
}

export class PageTaker implements PageTaking {
  constructor(private readonly d: PageTakerDeps) {}

  async take(pages: readonly Notification[], taker: { name: string; email?: string }): Promise<{ told: string[] }> {
    const me = taker.email?.toLowerCase();
    const told = new Map<string, string>();
    for (const page of pages) {
      const event = page.source === TAKEN_SOURCE ? null : eventOf(page.dedupeKey);
      if (!event) continue;
      const others = (await this.d.notifications.findByDedupePrefix(`${event}:`)).filter(
        (n) => n.source !== TAKEN_SOURCE && n.email.toLowerCase() !== me,
      );
      for (const n of others) {
        if (n.state === 'pending') await this.d.notifications.cancelPending(n.id, 'taken', `taken by ${taker.name}`);
      }
      for (const email of new Set(others.map((n) => n.email.toLowerCase()))) {
        if (told.has(email)) continue;
        const user = await this.d.users.getByEmail(email);
        if (!user) continue;
        const text =
          user.lang === 'ru'
            ? `дозвон: ${taker.name} взял(а) этот вызов на себя. ${page.message}`
            : `dozvon: ${taker.name} took this page. ${page.message}`;
        const paged = await this.d.pager.page({
          emails: [email],
          text,
          source: TAKEN_SOURCE,
          dedupeKey: `${event}:taken-by:${me ?? taker.name}`,
          everyTextChannel: true,
        });
        if (paged) told.set(email, user.name);
      }
      this.d.logger.info({ event, taker: me ? maskEmail(me) : null, others: others.length }, 'page taken; the others were told');
    }
    return { told: [...told.values()] };
  }
}

/** `hb:backup:down:1700000000000:7:call` → `hb:backup:down:1700000000000`. */
export function eventOf(dedupeKey: string | null | undefined): string | null {
  const m = dedupeKey ? /^(.+):\d+:(?:call|sms|push|webhook)$/.exec(dedupeKey) : null;
  return m ? m[1] : null;
}
