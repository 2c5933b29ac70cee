/**
 * The seam around OnCall's public API. Business code (correlation, enrichment, actions,
 * watchers) takes an OnCallClient; production passes HttpOnCallClient, tests pass it too,
 * pointed at the fake engine in test/fakes/oncall.
 */
import type {
  AlertGroup,
  AlertGroupStateFilter,
  FinalShift,
  OnCallAlert,
  OnCallIntegration,
  OnCallSchedule,
  OnCallTeam,
  OnCallUser,
  ResolutionNote,
} from './types';

export interface CallOptions {
  /** An engineer's own API token, so OnCall attributes the action to them. Default: the service token. */
  token?: string;
  signal?: AbortSignal;
  /** Extra tries on temporary errors; callers that run their own retry loop pass 0. */
  retries?: number;
}

export interface AlertGroupFilter {
  id?: string;
  routeId?: string;
  integrationId?: string;
  /** null = groups without a team (sent as the literal `null`). */
  teamId?: string | null;
  state?: AlertGroupStateFilter;
  /** All must match: `label=key:value` repeated. */
  labels?: Record<string, string>;
  /** Inclusive range of started_at, epoch ms. */
  startedAt?: { from: number; to: number };
  /** Stop after this many pages (50 groups each); default 4. */
  maxPages?: number;
}

export type GroupAction = 'acknowledge' | 'unacknowledge' | 'resolve' | 'unresolve' | 'silence' | 'unsilence';

/**
 * What an action did. OnCall answers "Can't acknowledge an acknowledged alert group" with a
 * 400; for a phone menu that is an outcome ("already acknowledged"), not a failure.
 */
export type GroupActionOutcome =
  | { status: 'done' }
  | { status: 'already'; state: 'acknowledged' | 'resolved' | 'silenced' | 'unacknowledged' | 'unresolved' | 'unsilenced'; detail: string };

export interface PageRequest {
  users?: { id: string; important?: boolean }[];
  /** Team pk. Left out → sent as null, because OnCall otherwise picks the token user's UI team. */
  team?: string | null;
  importantTeamEscalation?: boolean;
  /** Add responders to this group instead of creating one (exclusive with title/message/sourceUrl). */
  alertGroupId?: string;
  title?: string;
  message?: string;
  sourceUrl?: string;
}

export interface OnCallClient {
  listAlertGroups(filter?: AlertGroupFilter, opts?: CallOptions): Promise<AlertGroup[]>;
  getAlertGroup(id: string, opts?: CallOptions): Promise<AlertGroup>;
  /** Alerts of a group, newest first (first page only: 50 is plenty for a voice summary). */
  listAlerts(alertGroupId: string, opts?: CallOptions): Promise<OnCallAlert[]>;
  act(action: GroupAction, alertGroupId: string, opts?: CallOptions & { delaySeconds?: number }): Promise<GroupActionOutcome>;
  acknowledge(id: string, opts?: CallOptions): Promise<GroupActionOutcome>;
  unacknowledge(id: string, opts?: CallOptions): Promise<GroupActionOutcome>;
  resolve(id: string, opts?: CallOptions): Promise<GroupActionOutcome>;
  /** delaySeconds: -1 = forever. */
  silence(id: string, delaySeconds: number, opts?: CallOptions): Promise<GroupActionOutcome>;
  addResolutionNote(alertGroupId: string, text: string, opts?: CallOptions): Promise<ResolutionNote>;
  listResolutionNotes(alertGroupId: string, opts?: CallOptions): Promise<ResolutionNote[]>;
  /** Direct paging (`POST /api/v1/escalation/`); returns the (new or existing) alert group. */
  page(req: PageRequest, opts?: CallOptions): Promise<AlertGroup>;
  listSchedules(filter?: { name?: string; teamId?: string }, opts?: CallOptions): Promise<OnCallSchedule[]>;
  getSchedule(id: string, opts?: CallOptions): Promise<OnCallSchedule>;
  /** Shifts clipped to [fromMs, toMs] (at most 365 days). */
  finalShifts(scheduleId: string, range: { from: number; to: number }, opts?: CallOptions): Promise<FinalShift[]>;
  listUsers(filter?: { email?: string; username?: string }, opts?: CallOptions): Promise<OnCallUser[]>;
  getUser(id: string, opts?: CallOptions): Promise<OnCallUser>;
  /** The owner of the token in use. */
  currentUser(opts?: CallOptions): Promise<OnCallUser>;
  listTeams(filter?: { name?: string }, opts?: CallOptions): Promise<OnCallTeam[]>;
  listIntegrations(filter?: { name?: string }, opts?: CallOptions): Promise<OnCallIntegration[]>;
  getIntegration(id: string, opts?: CallOptions): Promise<OnCallIntegration>;
}
