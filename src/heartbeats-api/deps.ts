/** What the heartbeat routers need, passed in by the composition root. */
import type { Logger } from '../core/log';
import type { HeartbeatAdmin, HeartbeatService } from '../watchers/heartbeats';

export interface HeartbeatApiDeps {
  service: HeartbeatService;
  /** DOZVON_HEARTBEAT_KEYS; empty = every key-protected endpoint refuses. */
  keys: readonly string[];
  logger: Logger;
}

export interface OpsgenieApiDeps extends HeartbeatApiDeps {
  /** Changes made over the API (create, update, delete, enable, disable), audited with them. */
  admin: HeartbeatAdmin;
}

export interface AlertmanagerApiDeps extends HeartbeatApiDeps {
  /** Create the Watchdog heartbeat on its first ping; null = unknown names are only recorded. */
  watchdogAutoCreate: { periodS: number; graceS: number } | null;
}
