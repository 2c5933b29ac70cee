/** What the cloud routers need from the rest of dozvon, passed in by the composition root. */
import type { Logger } from '../core/log';
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import type { CloudIntegrationsRepo } from '../db/cloud-integrations-repo';
import type { PageIntake } from './intake';

/** Receives OnCall engine heartbeat pings (the watcher service in production). */
export interface HeartbeatSink {
  ping(name: string, source: string): Promise<void>;
}

export interface CloudDeps {
  config: { publicUrl: string; cloudTokens: readonly string[] };
  logger: Logger;
  users: UsersRepo;
  notifications: NotificationsRepo;
  intake: PageIntake;
  integrations: CloudIntegrationsRepo;
  heartbeats: HeartbeatSink;
  now: () => number;
  /** Called after a notification is committed, so the engine starts at once instead of polling. */
  onEnqueued: (n: Notification) => void;
}
