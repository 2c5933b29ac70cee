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

export interface ChannelProbeParts {
  telephony: Pick<Telephony, 'health'>;
  senders: { sms: readonly Sender[]; push: readonly Sender[] };
  /** The self-checks' latest results (a sender's health is probed there, once a minute, not per request). */
  latest: () => readonly CheckOutcome[];
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
  ];
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
