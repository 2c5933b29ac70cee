export { opsgenieRouter } from './opsgenie';
export { healthchecksRouter } from './healthchecks';
export { alertmanagerRouter, watchdogHeartbeatName, alertmanagerPayloadSchema } from './alertmanager';
export type { HeartbeatApiDeps, OpsgenieApiDeps, AlertmanagerApiDeps } from './deps';
