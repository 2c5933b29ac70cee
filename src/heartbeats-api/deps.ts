/** What the heartbeat routers need, passed in by the composition root. */
import type { Logger } from '../core/log';
import type { HeartbeatAdmin, HeartbeatService } from '../watchers/heartbeats';
import type { FailureLimiter } from '../http/secret-limits';
import type { CreateLimit } from './create-limit';

export interface HeartbeatApiDeps {
  service: HeartbeatService;
  /** DOZVON_HEARTBEAT_KEYS; empty = every key-protected endpoint refuses. */
  keys: readonly string[];
  logger: Logger;
  /** Wrong keys per client address, one limiter shared by every heartbeat router (http/secret-limits.ts). */
  keyFailures: FailureLimiter;
  /** What the key may create (heartbeats.api_create_limit), one instance shared by every heartbeat router. */
  createLimit: CreateLimit;
}

export interface OpsgenieApiDeps extends HeartbeatApiDeps {
  /** Changes made over the API (create, update, delete, enable, disable), audited with them. */
  admin: HeartbeatAdmin;
}

export interface AlertmanagerApiDeps extends HeartbeatApiDeps {
  /** Create the Watchdog heartbeat on its first ping; null = unknown names are only recorded. */
  watchdogAutoCreate: { periodS: number; graceS: number } | null;
}
