/** Everything the console reads and changes, as seams (tests give the real repos on a temp database). */
import type { DeliveryRepo } from '../delivery';
import type { Logger } from '../core/log';
import type { Config } from '../config';
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import type { HeartbeatAdmin, HeartbeatService } from '../watchers/heartbeats';
import type { People } from '../directory/people-service';
import type { AuditLog } from '../audit';
import type { PhoneVerifier } from '../verify';
import type { SenderSet } from '../senders';
import type { CallProgress } from '../ivr/call-progress';
import type { TelephonyHealth } from '../telephony/types';
import type { SessionRevocations } from '../web/revocations';
import type { AdminTokenGuard } from '../web/admin-token';
import type { Db } from '../db/knex';
import type { Teams } from '../teams/service';
import type { CalendarLinks } from '../teams/calendar-links';
import type { AlertsService } from '../alerts/service';
import type { IntegrationsService } from '../alerts/integrations';
import type { TrunkStatus } from '../trunks';

/** A self-check's latest result as the settings page shows it. */
export interface CheckView {
  name: string;
  state: string;
  detail: string;
  hint?: string | null;
  checkedAt?: number | null;
}

export interface ConsoleDeps {
  config: Config;
  db: Db;
  now: () => number;
  logger: Logger;
  revocations: SessionRevocations;
  /** The guard every door of the admin token shares (the app passes one; alone, the console makes its own). */
  adminGuard: AdminTokenGuard;
  audit: AuditLog;
  users: UsersRepo;
  /** Changes to people, each audited in its own transaction. */
  people: People;
  notifications: NotificationsRepo;
  heartbeats: HeartbeatService;
  /** Changes to heartbeats, each audited in its own transaction. */
  heartbeatAdmin: HeartbeatAdmin;
  /** Pages and test calls enter the queue through here (wakes the engines). */
  onEnqueued: (n: Notification) => void;
  verifier: () => PhoneVerifier | null;
  senders: SenderSet;
  progress: CallProgress;
  telephonyHealth: () => TelephonyHealth;
  checks: () => CheckView[];
  /** Teams, schedules, rotations, overrides and policies, each change audited in its own transaction. */
  teams: Teams;
  /** Signs the rotations' calendar feed addresses (the secret is read from the database on first use). */
  calendarLinks: () => Promise<CalendarLinks>;
  /** Opsgenie-style alerts and their integration keys; absent: the area lists nothing. */
  alerts?: { service: AlertsService; integrations: IntegrationsService };
  /** Each trunk's breaker, calls and test calls; absent in consoles built without trunks. */
  trunks?: () => readonly TrunkStatus[];
  /** Where rendered speech is kept (DOZVON_TTS_DIR, resolved) and the prompts root (sounds/). */
  media: { ttsDir: string; soundsRoot: string };
  /** The pages behind the Delivery page's figures; without it the page shows none. */
  delivery?: Pick<DeliveryRepo, 'pages'>;
}
