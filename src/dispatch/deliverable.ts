/**
 * Whether some channel could deliver a page to a person at all, asked before a page is accepted
 * so OnCall hears the truth: a 200 for a page nothing can deliver would have OnCall believe the
 * person was called or texted. Voice counts while telephony is configured (a disconnected
 * Asterisk heals; the page waits for it); otherwise a call page needs a channel the voice
 * engine can fall back to, with a sender that has an address for the person.
 */
import type { NotificationKind } from '../db/notifications-repo';
import type { User } from '../directory/user';
import type { SenderSet } from '../senders';

/** null when the page can be delivered; otherwise why not, in words for the log. */
export type Deliverable = (kind: NotificationKind, user: User) => string | null;

export function channelsDeliverable(p: { telephonyConfigured: () => boolean; senders: Pick<SenderSet, 'forRecipient'> }): Deliverable {
  const reaches = (kind: 'sms' | 'push', user: User) =>
    p.senders.forRecipient(kind, { phone: user.phone, contacts: user.contacts, email: user.email, name: user.name }).length > 0;
  return (kind, user) => {
    if (kind === 'sms') return reaches('sms', user) ? null : 'no SMS sender can reach this person';
    if (kind === 'push') return reaches('push', user) ? null : 'no push sender has an address for this person';
    if (p.telephonyConfigured()) return null;
    const fallback = user.channels.some((c) => (c === 'sms' || c === 'push') && reaches(c, user));
    return fallback ? null : 'telephony is not configured and no SMS/push sender can reach this person';
  };
}
