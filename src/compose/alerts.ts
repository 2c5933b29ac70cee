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
import { AlertPageActor, alertIdOf, type TeamMembers } from '../alerts/page-actions';
import { alertSpeech } from '../alerts/speech';
import { alertChannels } from '../alerts/config';
import type { ResponderResolver } from '../alerts/responders';
import { ALERT_SOURCE, type AlertPageActions } from '../ivr/alert-pages';
import type { OwnPageSpeech } from '../dispatch/page-preparer';
import type { OwnPageSettledCheck } from '../dispatch/voice-types';
import { alertsRouter } from '../alerts-api';
import { partOf, type Part } from './lifecycle';
import type { Stores } from './stores';

export interface AlertParts {
  service: AlertsService;
  integrations: IntegrationsService;
  escalator: AlertEscalator;
  pageActions: AlertPageActions;
  speech: OwnPageSpeech;
  /** Whether an alert page's alert was closed, acknowledged or snoozed meanwhile (no retry then). */
  settled: OwnPageSettledCheck;
  router(): RouterT;
  /** The escalation runner, holding its cluster lease while it runs. */
  part: Part;
}

/** Digit 3's list: the alert team's members, read through the teams' store. */
function teamMembers(stores: Stores): TeamMembers {
  return {
    async membersOf(ref) {
      const team = await stores.teams.store.findTeam(ref);
      return team ? stores.teams.usersOf((await stores.teams.store.members(team.id)).map((m) => m.userId)) : [];
    },
  };
}

export function buildAlerts(
  config: Config,
  stores: Stores,
  o: { alertResolver?: ResponderResolver; sweepMs?: number; policyMinuteMs?: number } = {},
): AlertParts {
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
    resolver: o.alertResolver ?? new TeamsResolver(stores.teams, { minuteMs: o.policyMinuteMs }),
    onDue: () => escalator.kick(),
    stopPages: async (id, why) => void (await cancelAlertPages(notifications, id, why)),
  });
  const integrations = new IntegrationsService(db, audit, now);
  const failures = secretFailureLimiter(now);
  const speech: OwnPageSpeech = {
    async text(n, lang, at) {
      const id = n.source === ALERT_SOURCE ? alertIdOf(n) : null;
      const a = id ? await service.get({ identifier: id, type: 'id' }) : null;
      if (!a) return null;
      // The alert keeps its team's id (the API's ownerTeamId); a person on the phone knows the team by name.
      const team = a.team ? ((await stores.teams.store.findTeam(a.team))?.name ?? a.team) : null;
      return alertSpeech({ ...a, team }, lang, at);
    },
  };
  const settled: OwnPageSettledCheck = {
    async settledPage(n) {
      const id = n.source === ALERT_SOURCE ? alertIdOf(n) : null;
      const a = id ? await service.get({ identifier: id, type: 'id' }) : null;
      if (!a) return null;
      const snoozed = a.snoozedUntil !== null && a.snoozedUntil > now();
      const state = a.status === 'closed' ? 'closed' : a.acknowledged ? 'acknowledged' : snoozed ? 'snoozed' : null;
      return { settled: state !== null, detail: state ? `alert #${a.tinyId} already ${state}` : `alert #${a.tinyId} still open` };
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
    pageActions: new AlertPageActor(service, users, teamMembers(stores), escalator),
    speech,
    settled,
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
