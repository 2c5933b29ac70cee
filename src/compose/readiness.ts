/**
 * What /readyz asks besides the database (src/http/health.ts): can anyone be paged? Voice counts
 * while an Asterisk is connected; SMS and push while a sender is configured and not every one of
 * them fails its self-check. The telephony state shows in /readyz's checks on its own, so an
 * Asterisk outage is visible even while SMS keeps the instance ready.
 */
import type { ReadinessProbe } from '../http/health';
import type { Telephony } from '../telephony/types';
import type { Sender } from '../senders';
import type { CheckOutcome } from '../watchers/checks/check';
import type { TrunkStatus } from '../trunks';

export interface ChannelProbeParts {
  telephony: Pick<Telephony, 'health'>;
  senders: { sms: readonly Sender[]; push: readonly Sender[] };
  /** The self-checks' latest results (a sender's health is probed there, once a minute, not per request). */
  latest: () => readonly CheckOutcome[];
  /** Each trunk's breaker and test-call state. */
  trunks?: () => readonly TrunkStatus[];
}

export function channelProbes(p: ChannelProbeParts): ReadinessProbe[] {
  return [
    {
      name: 'telephony',
      role: 'channel',
      check: async () => {
        const h = p.telephony.health();
        if (!h.ok) throw new Error(h.message);
      },
    },
    senderProbe('sms', p.senders.sms, p.latest),
    senderProbe('push', p.senders.push, p.latest),
    ...(p.trunks ? [trunksProbe(p.telephony, p.trunks)] : []),
  ];
}

/**
 * Voice through the trunks: fails with the telephony (so it never makes an instance without
 * Asterisk look able to call) and when every trunk is down; degraded while some are.
 */
function trunksProbe(telephony: Pick<Telephony, 'health'>, trunks: () => readonly TrunkStatus[]): ReadinessProbe {
  return {
    name: 'trunks',
    role: 'channel',
    check: async (): Promise<string | void> => {
      const h = telephony.health();
      if (!h.ok) throw new Error(`no telephony: ${h.message}`);
      const all = trunks();
      const down = all
        .filter((t) => !t.up)
        .map((t) => (t.lastTest?.ok === false ? `${t.name} test call failed: ${t.lastTest.detail}` : `${t.name} breaker ${t.breaker}`));
      if (down.length && down.length === all.length) throw new Error(`every trunk is down: ${down.join('; ')}`);
      if (down.length) return `degraded: ${down.join('; ')}`;
    },
  };
}

function senderProbe(name: string, senders: readonly Sender[], latest: () => readonly CheckOutcome[]): ReadinessProbe {
  return {
    name,
    role: 'channel',
    check: async (): Promise<string | void> => {
      if (senders.length === 0) throw new Error('no sender configured');
      const results = new Map(latest().map((r) => [r.name, r]));
      const failing = senders.map((s) => results.get(`sender:${s.name}`)).filter((r) => r?.ok === false);
      if (failing.length === senders.length)
        throw new Error(`every sender fails its self-check: ${failing.map((r) => `${r!.name}: ${r!.detail}`).join('; ')}`);
      // Still ready, but say so: some senders fail (or run on a fallback) while others carry the load.
      const weak = senders.map((s) => results.get(`sender:${s.name}`)).filter((r) => r && r.state !== 'ok' && r.state !== 'not configured');
      // Senders nobody could probe are not known to fail, so they alone leave the channel unchecked, not degraded.
      const word = weak.every((r) => r!.state === 'unchecked') ? 'unchecked' : 'degraded';
      if (weak.length) return `${word}: ${weak.map((r) => `${r!.name} ${r!.state}: ${r!.detail}`).join('; ')}`;
    },
  };
}
