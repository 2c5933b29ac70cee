/** Feeds the Prometheus metrics from the engines' events, the heartbeats and the self-checks. */
import { Metrics } from '../metrics';
import type { VoiceEvent } from '../dispatch/voice-engine';
import type { Wakeup } from '../dispatch/wakeup';
import type { NotificationsRepo } from '../db/notifications-repo';
import type { Telephony } from '../telephony/types';
import type { SelfChecks } from '../watchers/checks/runner';
import type { DeliveryRecorder } from '../delivery';

/**
 * The metrics exist before the parts they watch (telephony reports speech failures into them),
 * so the health gauges are wired to telephony and the self-checks once those are built.
 */
export function buildMetrics(
  notifications: NotificationsRepo,
  wakeup: Wakeup,
): { metrics: Metrics; watch(telephony: Telephony, checks: SelfChecks): void } {
  let watched: { telephony: Telephony; checks: SelfChecks } | null = null;
  const metrics = new Metrics({
    queueDepth: async () => {
      if (watched) refreshHealthGauges(metrics, watched.telephony, watched.checks);
      return notifications.countByState();
    },
  });
  wakeup.subscribe((n) => metrics.notificationReceived(n.kind, n.source));
  return { metrics, watch: (telephony, checks) => void (watched = { telephony, checks }) };
}

export function voiceObserver(metrics: Metrics, now: () => number, delivery?: Pick<DeliveryRecorder, 'acked'>): (e: VoiceEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'call-started': {
        const t = now();
        for (const w of e.firstWaitsMs) metrics.dispatchLatency(t - w, t);
        for (const w of e.retryWaitsMs) metrics.retryWaited(t - w, t);
        return;
      }
      case 'call-ended': {
        const r = e.report;
        metrics.callAttempt(r.outcome, r.cause ? r.cause.split(/[ ;]/)[0] : null);
        if (r.answeredAt !== null && r.ringingAt !== null) metrics.callSetup(r.ringingAt, r.answeredAt);
        if (r.digits) metrics.digitsPressed(r.digits);
        if (r.action && r.actionStatus) metrics.actionResult(r.action, r.actionStatus);
        return;
      }
      case 'page-finished':
        metrics.notificationFinished(e.kind, e.outcome);
        // A digit on the call, or OnCall saying someone acknowledged or resolved it meanwhile.
        if (e.outcome === 'digit' || e.outcome === 'settled-elsewhere')
          void delivery?.acked(e.notificationId, e.outcome === 'digit' ? 'digit' : 'oncall');
        return;
    }
  };
}

/** Health gauges are refreshed when Prometheus scrapes (from the latest self-check results). */
export function refreshHealthGauges(metrics: Metrics, telephony: Telephony, checks: SelfChecks): void {
  for (const s of telephony.health().servers) {
    let host = s.url;
    try {
      host = new URL(s.url).host; // never a URL with credentials in a label
    } catch {
      host = 'invalid-url';
    }
    metrics.ariHealth(host, s.state === 'connected');
  }
  // Up means its check passed outright: a sender whose latest sends failed is not up, one nobody probes is not known.
  for (const c of checks.latest())
    if (c.name.startsWith('sender:'))
      metrics.senderHealth(c.name.slice('sender:'.length), c.state === 'unchecked' ? null : c.state === 'ok');
}
