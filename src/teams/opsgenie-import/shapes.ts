/** The parts of Opsgenie's REST answers the import reads (users, teams, schedules with rotations, overrides, escalations). */

export interface OgUser {
  id: string;
  username: string;
  fullName?: string;
  timeZone?: string;
}

export interface OgTeam {
  id: string;
  name: string;
  description?: string;
  members?: { user: { id?: string; username?: string }; role?: string }[];
}

export interface OgParticipant {
  type: string;
  id?: string;
  username?: string;
  name?: string;
}

export interface OgTimeOfDay {
  startHour: number;
  startMin: number;
  endHour: number;
  endMin: number;
}

export interface OgRotation {
  id?: string;
  name: string;
  startDate: string;
  endDate?: string;
  type: string;
  length?: number;
  participants?: OgParticipant[];
  timeRestriction?: { type: string; restriction?: OgTimeOfDay; restrictions?: (OgTimeOfDay & { startDay: string; endDay: string })[] };
}

export interface OgSchedule {
  id: string;
  name: string;
  timezone?: string;
  enabled?: boolean;
  ownerTeam?: { id?: string; name?: string };
  rotations?: OgRotation[];
}

export interface OgOverride {
  alias?: string;
  user: OgParticipant;
  startDate: string;
  endDate: string;
  rotations?: { id?: string; name?: string }[];
}

export interface OgEscalation {
  id: string;
  name: string;
  description?: string;
  ownerTeam?: { id?: string; name?: string };
  rules: { condition?: string; notifyType?: string; delay?: { timeAmount?: number; timeUnit?: string }; recipient: OgParticipant }[];
  repeat?: { waitInterval?: number; count?: number; resetRecipientStates?: boolean; closeAlertAfterAll?: boolean };
}

export interface OpsgenieExport {
  users: OgUser[];
  teams: OgTeam[];
  schedules: OgSchedule[];
  /** By the schedule's name or id, as the file was named. */
  overrides: Map<string, OgOverride[]>;
  escalations: OgEscalation[];
}
