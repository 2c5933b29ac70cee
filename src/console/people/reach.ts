/**
 * Which tests and verification methods can work for a person right now, and if not, why: the
 * person page disables those buttons with the reason, and the POST routes refuse the same way.
 */
import type { User } from '../../directory/user';
import type { ConsoleDeps } from '../deps';

export type TestKind = 'call' | 'sms' | 'push';
export const TEST_KINDS: readonly TestKind[] = ['call', 'sms', 'push'];
export const TEST_SOURCES: Record<TestKind, string> = { call: 'test-call', sms: 'test-sms', push: 'test-push' };

/** null when it can be tried; otherwise the key of the reason (`why.<key>` in the texts). */
export type Blocked = string | null;

function recipient(u: User) {
  return { phone: u.phone, contacts: u.contacts, email: u.email, name: u.name };
}

export function testBlocked(deps: ConsoleDeps, u: User, kind: TestKind): Blocked {
  if (kind === 'call') {
    if (!u.phone) return 'noPhone';
    return deps.telephonyHealth().configured ? null : 'noTelephony';
  }
  if (kind === 'sms') {
    if (!u.phone) return 'noPhone';
    if (deps.senders.sms.length === 0) return 'noSmsSender';
    return deps.senders.forRecipient('sms', recipient(u)).length ? null : 'smsNotThisNumber';
  }
  if (deps.senders.push.length === 0) return 'noPushSender';
  return deps.senders.forRecipient('push', recipient(u)).length ? null : 'noPushContact';
}

export function verifyBlocked(deps: ConsoleDeps, u: User, method: 'sms' | 'call'): Blocked {
  if (!u.phone) return 'noPhone';
  if (method === 'sms') return deps.senders.sms.length ? null : 'noSmsSender';
  return deps.telephonyHealth().configured ? null : 'noTelephony';
}
