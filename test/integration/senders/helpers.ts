/** Shared bits for sender tests: a message. */
import type { OutboundMessage } from '../../../src/senders/types';

export function message(over: Partial<OutboundMessage> = {}, contacts: Record<string, string> = {}): OutboundMessage {
  return {
    to: { phone: '+79161234567', contacts, email: 'alice@example.com', name: 'Alice' },
    text: 'Incident: "High CPU" on db-1\nStatus: firing',
    title: 'High CPU',
    priority: 'high',
    ackUrl: 'http://dozvon.example/ack/42.abc.SIG',
    alertGroupId: 'IABCDEFGHJKL1',
    ...over,
  };
}
