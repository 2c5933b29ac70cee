/** An alert as dozvon keeps it: the fields of Opsgenie's Alert API plus the escalation it runs. */
import type { PlanStep, Responder } from './responders';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Alert {
  id: string;
  tinyId: number;
  alias: string;
  message: string;
  description: string;
  priority: Priority;
  status: 'open' | 'closed';
  acknowledged: boolean;
  /** Username (e-mail) of whoever took it, '' when nobody. */
  owner: string;
  snoozedUntil: number | null;
  count: number;
  tags: string[];
  details: Record<string, string>;
  actions: string[];
  responders: Responder[];
  visibleTo: Responder[];
  entity: string;
  source: string;
  /** The `user` field of the create: the requester's display name. */
  requestedBy: string;
  integrationId: string | null;
  team: string | null;
  plan: PlanStep[];
  /** Index of the next step to page; equal to plan.length when every step has run. */
  nextStep: number;
  /** When the next step is due; null when nothing more will be paged. */
  nextStepAt: number | null;
  ackedBy: string | null;
  closedBy: string | null;
  ackedAt: number | null;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastOccurredAt: number;
}

/** What a create carries, already validated and cut to the limits. */
export interface AlertInput {
  message: string;
  alias?: string;
  description?: string;
  responders?: Responder[];
  visibleTo?: Responder[];
  actions?: string[];
  tags?: string[];
  details?: Record<string, string>;
  entity?: string;
  source?: string;
  priority?: Priority;
  user?: string;
  note?: string;
}

export type AlertEventKind =
  | 'created'
  | 'deduplicated'
  | 'step'
  | 'paged'
  | 'unresolved'
  | 'acknowledged'
  | 'unacknowledged'
  | 'closed'
  | 'note'
  | 'escalated'
  | 'assigned'
  | 'snoozed'
  | 'updated';

/** One line of an alert's timeline. */
export interface AlertEvent {
  id: number;
  alertId: string;
  at: number;
  kind: AlertEventKind;
  actor: string;
  text: string;
  /** The page this line is about (paged events): its channel and outcome are read from the queue. */
  notificationId: number | null;
}

/** Who did something to an alert: an integration, a person on the phone or in the console. */
export interface AlertActor {
  /** For the timeline, the audit log and `acknowledgedBy`/`closedBy`: a username, "integration <name>", ... */
  name: string;
  /** The directory e-mail when a person acted (becomes the owner on acknowledge). */
  email?: string;
}

/** How one request ended, as GET /v2/alerts/requests/{id} reports it. */
export interface RequestOutcome {
  success: boolean;
  action: string;
  status: string;
  alertId: string;
  alias: string;
}

export interface AlertIdentifier {
  identifier: string;
  type: 'id' | 'tiny' | 'alias';
}
