/**
 * Voice gave up: the same pages go out over the person's other channels, as new
 * queue rows so they are delivered or recorded failed like any other notification.
 */
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import type { User } from '../directory/user';
import type { VoiceFallback } from './voice-types';

export class ChannelFallback implements VoiceFallback {
  constructor(
    private readonly notifications: NotificationsRepo,
    private readonly onEnqueued: (n: Notification) => void,
  ) {}

  canHandOver(user: User): boolean {
    return kindsFor(user).length > 0;
  }

  async handOver(user: User, pages: Notification[], reason: string): Promise<string> {
    const kinds = kindsFor(user);
    if (kinds.length === 0) return 'no other channel to fall back to';
    for (const page of pages) {
      for (const kind of kinds) {
        const { notification, created } = await this.notifications.enqueue({
          kind,
          source: 'voice-fallback',
          userId: user.id,
          email: user.email,
          message: page.message,
          alertGroupId: page.alertGroupId,
          correlation: page.correlation,
          payload: { fallbackFor: page.id, reason },
          dedupeKey: `fallback:${page.id}:${kind}`,
        });
        if (created) this.onEnqueued(notification);
      }
    }
    return `handed over to ${kinds.join(' and ')}`;
  }
}

function kindsFor(user: User): Array<'sms' | 'push'> {
  return user.channels
    .filter((c) => c !== 'voice' && (c !== 'sms' || user.phone !== null))
    .map((c): 'sms' | 'push' => (c === 'sms' ? 'sms' : 'push'));
}
