/**
 * Pages people directly through dozvon's own channels, without OnCall (which may be what
 * died): heartbeats going down, failed self-checks. Each person gets a page on their first
 * channel; voice hands over to SMS/push on its own if the call is not answered.
 */
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo, Notification, NotificationKind } from '../db/notifications-repo';
import type { Channel, User } from '../directory/user';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';

export const CHANNEL_KIND: Record<Channel, NotificationKind> = { voice: 'call', sms: 'sms', push: 'push' };

export interface DirectPage {
  emails: readonly string[];
  text: string;
  source: string;
  /** Same key twice → paged once (a restart re-running the same event). */
  dedupeKey?: string;
  /**
   * Reports about our own failures (a sender is down) go out on every SMS and push channel
   * of the person, so whichever still works carries it; voice only when it is all they have.
   */
  everyTextChannel?: boolean;
}

export class DirectPager {
  constructor(
    private readonly users: UsersRepo,
    private readonly notifications: NotificationsRepo,
    private readonly logger: Logger,
    private readonly onEnqueued: (n: Notification) => void,
  ) {}

  /** Returns how many people were paged; unknown emails and people without channels are logged. */
  async page(p: DirectPage): Promise<number> {
    let paged = 0;
    for (const email of new Set(p.emails.map((e) => e.toLowerCase()))) {
      const user = await this.users.getByEmail(email);
      if (!user) {
        this.logger.warn({ email: maskEmail(email), source: p.source }, 'cannot page: not in the directory');
        continue;
      }
      const first = firstUsableKind(user);
      const text = p.everyTextChannel ? textKinds(user) : [];
      const kinds = text.length ? text : first ? [first] : [];
      if (kinds.length === 0) {
        this.logger.warn({ email: maskEmail(email), source: p.source }, 'cannot page: no usable channel');
        continue;
      }
      for (const kind of kinds) {
        const { notification, created } = await this.notifications.enqueue({
          kind,
          source: p.source,
          userId: user.id,
          email: user.email,
          message: p.text.slice(0, 1024),
          dedupeKey: p.dedupeKey ? `${p.dedupeKey}:${user.id}:${kind}` : null,
        });
        if (created) this.onEnqueued(notification);
      }
      paged++;
    }
    return paged;
  }
}

function textKinds(user: User): NotificationKind[] {
  return user.channels.filter((c) => c === 'push' || (c === 'sms' && user.phone !== null)).map((c) => CHANNEL_KIND[c]);
}

/** The first of a person's channels that can reach them now. */
export function firstUsableKind(user: User): NotificationKind | null {
  for (const c of user.channels) {
    if ((c === 'voice' || c === 'sms') && user.phone !== null) return CHANNEL_KIND[c];
    if (c === 'push') return 'push';
  }
  return null;
}
