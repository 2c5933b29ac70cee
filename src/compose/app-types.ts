/** What buildApp returns and accepts: the parts tests reach into, and the seams they replace. */
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Db } from '../db/knex';
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo } from '../db/notifications-repo';
import type { CloudIntegrationsRepo } from '../db/cloud-integrations-repo';
import type { Wakeup } from '../dispatch/wakeup';
import type { Express } from '../http/express';
import type { Telephony } from '../telephony/types';
import type { TtsSystem } from '../tts/index';
import type { SenderSet } from '../senders';
import type { OnCallClient } from '../oncall/index';
import type { VoiceEngine } from '../dispatch/voice-engine';
import type { MessageEngine } from '../dispatch/message-engine';
import type { HeartbeatService } from '../watchers/heartbeats';
import type { SelfChecks } from '../watchers/checks/runner';
import type { Metrics } from '../metrics';
import type { RetentionSweeper } from '../retention';
import type { OnCallParts } from './oncall';
import type { AlertParts } from './alerts';
import type { ResponderResolver } from '../alerts/responders';

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  db?: Db;
  telephony?: Telephony;
  oncallClient?: OnCallClient | null;
  instanceId?: string;
  /** Speeds for tests: the engines' sweep period. */
  sweepMs?: number;
  /** false: accept and store pages but deliver nothing (intake-only tests). Default true. */
  startEngines?: boolean;
  /** Who an alert pages; default: the teams' rotations, overrides and escalation policies (teams/resolver.ts). */
  alertResolver?: ResponderResolver;
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  instanceId: string;
  users: UsersRepo;
  notifications: NotificationsRepo;
  integrations: CloudIntegrationsRepo;
  wakeup: Wakeup;
  http: Express;
  telephony: Telephony;
  tts: TtsSystem;
  senders: SenderSet;
  oncall: OnCallParts;
  voice: VoiceEngine;
  messages: MessageEngine;
  heartbeats: HeartbeatService;
  checks: SelfChecks;
  metrics: Metrics;
  /** Deletes old voicemails, finished notifications and history; `lastSweep()`/`totals()` for metrics. */
  retention: RetentionSweeper;
  /** Opsgenie-style alerts: the service, integration keys and the escalation runner. */
  alerts: AlertParts;
  start(): Promise<AddressInfo>;
  stop(): Promise<void>;
}
