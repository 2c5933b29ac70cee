/**
 * Alerts: the service every front-end goes through, the escalation runner (one per cluster),
 * the integration keys, what calls say and do about an alert, and the Opsgenie alert API.
 */
import type { Config } from '../config';
import type { RouterT } from '../http/express';
import { secretFailureLimiter } from '../http/secret-limits';
import { ClusterLease, Singleton } from '../cluster';
import { AlertsService } from '../alerts/service';
import { AlertEscalator, cancelAlertPages } from '../alerts/escalator';
import { IntegrationsService } from '../alerts/integrations';
import { TeamsResolver } from '../teams/resolver';
import { AlertPageActor, alertIdOf } from '../alerts/page-actions';
import { alertSpeech } from '../alerts/speech';
import { alertChannels } from '../alerts/config';
import type { ResponderResolver } from '../alerts/responders';
import { ALERT_SOURCE, type AlertPageActions } from '../ivr/alert-pages';
import type { OwnPageSpeech } from '../dispatch/page-preparer';
import { alertsRouter } from '../alerts-api';
import { partOf, type Part } from './lifecycle';
import type { Stores } from './stores';

export interface AlertParts {
  service: AlertsService;
  integrations: IntegrationsService;
  escalator: AlertEscalator;
  pageActions: AlertPageActions;
  speech: OwnPageSpeech;
  router(): RouterT;
  /** The escalation runner, holding its cluster lease while it runs. */
  part: Part;
}

export function buildAlerts(config: Config, stores: Stores, o: { resolver?: ResponderResolver; sweepMs?: number } = {}): AlertParts {
  const { db, clock, logger, users, audit, notifications, now, instanceId } = stores;
  const escalator = new AlertEscalator({
    db,
    clock,
    logger,
    users,
    channels: alertChannels(config.sections.alerts),
    onEnqueued: stores.onEnqueued,
    sweepMs: o.sweepMs,
  });
  const service = new AlertsService({
    db,
    audit,
    clock,
    logger,
    // Responders are worked out by the teams: their rotations, overrides and escalation policies.
    resolver: o.resolver ?? new TeamsResolver(stores.teams),
    onDue: () => escalator.kick(),
    stopPages: async (id, why) => void (await cancelAlertPages(notifications, id, why)),
  });
  const integrations = new IntegrationsService(db, audit, now);
  const failures = secretFailureLimiter(now);
  const speech: OwnPageSpeech = {
    async text(n, lang, at) {
      const id = n.source === ALERT_SOURCE ? alertIdOf(n) : null;
      const a = id ? await service.get({ identifier: id, type: 'id' }) : null;
      return a ? alertSpeech(a, lang, at) : null;
    },
  };
  const lease = new ClusterLease(db, now);
  const singleton = new Singleton({
    name: 'alerts:escalation',
    holder: instanceId,
    lease,
    service: escalator,
    clock,
    logger,
    ttlMs: config.leases.clusterMs,
  });
  return {
    service,
    integrations,
    escalator,
    pageActions: new AlertPageActor(service, users),
    speech,
    router: () =>
      alertsRouter({
        service,
        door: { verify: (k) => integrations.verify(k), failures },
        integrationNames: async () => new Map((await integrations.list()).map((i) => [i.id, i.name])),
        publicUrl: config.publicUrl,
        logger,
      }),
    part: partOf('alerts:escalation', singleton),
  };
}
