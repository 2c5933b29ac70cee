/**
 * Shapes of OnCall's public-API objects as we read them (alert groups, users, schedules, teams, integrations).
 * Only the fields we use are typed; everything else passes through untouched.
 */

/** Object states. The list filter calls "firing" `new` (see AlertGroupStateFilter). */
export type AlertGroupState = 'firing' | 'acknowledged' | 'resolved' | 'silenced';
export type AlertGroupStateFilter = 'new' | 'acknowledged' | 'resolved' | 'silenced';

export interface OnCallLabel {
  key: { id: string; name: string };
  value: { id: string; name: string };
}

export interface OnCallAlert {
  id: string;
  alert_group_id: string;
  created_at: string;
  payload: unknown;
}

export interface AlertGroup {
  id: string;
  integration_id: string;
  team_id: string | null;
  route_id: string | null;
  alerts_count: number;
  state: AlertGroupState;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  /** A list normally; a flat {key: value} dict in webhook payloads when the labels feature is on. */
  labels: OnCallLabel[] | Record<string, string>;
  title: string | null;
  permalinks: { web: string | null; slack?: string | null; slack_app?: string | null; telegram?: string | null };
  silenced_at: string | null;
  last_alert?: OnCallAlert | null;
}

export interface OnCallUser {
  id: string;
  email: string;
  username: string;
  role?: string;
  grafana_id?: number;
  is_phone_number_verified?: boolean;
  timezone?: string | null;
  teams?: string[];
}

export interface OnCallTeam {
  id: string;
  name: string;
  email?: string | null;
  grafana_id?: number;
  avatar_url?: string;
}

export interface OnCallSchedule {
  id: string;
  name: string;
  team_id: string | null;
  type: 'ical' | 'calendar' | 'web';
  time_zone?: string;
  /** User pks on call right now, overrides included. */
  on_call_now: string[];
}

export interface FinalShift {
  user_pk: string;
  user_email: string;
  user_username: string;
  shift_start: string;
  shift_end: string;
}

export interface OnCallIntegration {
  id: string;
  name: string;
  type: string;
  team_id: string | null;
  link?: string | null;
  [key: string]: unknown;
}

export interface ResolutionNote {
  id: string;
  alert_group_id: string;
  author: string | null;
  source: string;
  created_at: string;
  text: string;
}

/** One page of a list (`PathPrefixedPagePagination`). */
export interface OnCallPage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
  page_size?: number;
  current_page_number?: number;
  total_pages?: number;
}
