/** Delivery: the page preparer, the direct pager, the outbound call runner and the voice and message engines. */
import type { Config } from '../config';
import type { Telephony } from '../telephony/types';
import type { TtsSystem } from '../tts/index';
import type { SenderSet } from '../senders';
import type { AckLinks } from '../links';
import type { Metrics } from '../metrics';
import { DEFAULT_LIMITS } from '../limits';
import { PagePreparer } from '../dispatch/page-preparer';
import { DialingGate } from '../dispatch/dialing-gate';
import { OutboundCallRunner } from '../ivr/outbound-call';
import { voicemailSectionDefaults } from '../voicemail/config';
import { VoiceEngine } from '../dispatch/voice-engine';
import { MessageEngine } from '../dispatch/message-engine';
import { ChannelFallback } from '../dispatch/channel-fallback';
import { DirectPager } from '../dispatch/direct-pager';
import { PageTaker } from '../dispatch/page-taker';
import type { OnCallParts } from './oncall';
import type { Stores } from './stores';
import { voiceObserver } from './observe';
import type { DeliveryParts } from './delivery';
import type { AlertParts } from './alerts';
import type { TrunkParts } from './trunks';

export interface EngineParts {
  preparer: PagePreparer;
  direct: DirectPager;
  voice: VoiceEngine;
  messages: MessageEngine;
}

export interface EngineDeps {
  config: Config;
  stores: Stores;
  oncall: OnCallParts;
  tts: TtsSystem;
  telephony: Telephony;
  senders: SenderSet;
  metrics: Metrics;
  /** Built at start (the link secret lives in the database); null until then. */
  links: () => AckLinks | null;
  /** Told when a page is acknowledged by a digit or settled in OnCall (delivery figures). */
  delivery?: DeliveryParts;
  alerts: Pick<AlertParts, 'pageActions' | 'speech' | 'settled'>;
  trunks: TrunkParts;
  sweepMs?: number;
}

export function buildEngines(d: EngineDeps): EngineParts {
  const { config, oncall, tts, telephony, metrics } = d;
  const { clock, logger, users, notifications: repo, onEnqueued, instanceId } = d.stores;
  const limits = config.sections.limits ?? DEFAULT_LIMITS;
  // Background preparation waits while calls are on their way to the originate.
  const dialing = new DialingGate();
  const preparer = new PagePreparer({
    dialing,
    correlator: oncall.correlator,
    enricher: oncall.enricher,
    tts,
    clock,
    logger: logger.child({ mod: 'prepare' }),
    ownSpeech: d.alerts.speech,
  });
  const direct = new DirectPager(users, repo, logger.child({ mod: 'direct-pager' }), onEnqueued);
  const taking = new PageTaker({ notifications: repo, users, pager: direct, logger: logger.child({ mod: 'page-taker' }) });
  const runner = new OutboundCallRunner(
    {
      dialer: d.trunks.dialer,
      tts,
      actions: oncall.actions,
      taking,
      alerts: d.alerts.pageActions,
      clock,
      logger: logger.child({ mod: 'call' }),
      secrets: (id) => users.secrets(id),
      progress: d.stores.progress,
    },
    { callerId: config.callerId, voicemail: config.sections.voicemail ?? voicemailSectionDefaults() },
  );
  const voice = new VoiceEngine(
    {
      repo,
      users,
      runner,
      preparer,
      settled: oncall.settled,
      ownSettled: d.alerts.settled,
      dialing,
      reads: d.stores.reads,
      fallback: new ChannelFallback(repo, onEnqueued),
      clock,
      logger: logger.child({ mod: 'voice' }),
      observe: voiceObserver(metrics, d.stores.now, d.delivery?.recorder),
      limits,
      telephony,
    },
    {
      instanceId,
      maxCalls: config.limits.maxCalls,
      originatesPerSecond: config.limits.originatesPerSecond,
      sweepMs: d.sweepMs,
      leaseMs: config.leases.pageMs,
      telephonyWaitMs: config.telephonyWaitMs,
    },
  );
  const messages = new MessageEngine(
    {
      repo,
      users,
      senders: d.senders,
      ackUrl: (n) => d.links()?.url(n.id) ?? '',
      listUrl: (u) => `${config.publicUrl}console/pages?${new URLSearchParams({ person: u.email, kind: 'sms', period: '24h' })}`,
      correlate: (n, signal) =>
        oncall.correlator.correlate(
          { message: n.message, alertGroupId: n.alertGroupId ?? undefined, email: n.email, receivedAt: n.receivedAt },
          signal,
        ),
      limits,
      clock,
      logger: logger.child({ mod: 'messages' }),
      observe: (e) => metrics.notificationFinished(e.kind, e.outcome),
    },
    { instanceId, sweepMs: d.sweepMs, leaseMs: Math.min(config.leases.pageMs, 60_000) },
  );
  return { preparer, direct, voice, messages };
}
