/**
 * The fake engine's data: what OnCall stores, and the public-API serializers for it.
 * Seed helpers fill in OnCall-looking defaults (pks with the right prefix, timestamps).
 */
import { publicId } from '../../../src/core/ids';

export interface FakeUser {
  id: string;
  email: string;
  username: string;
  role: 'admin' | 'editor' | 'viewer' | 'none';
  teams: string[];
  /** The team selected in the user's web UI: the default `team` of direct paging. */
  currentTeam: string | null;
  timezone: string;
}

export interface FakeTeam {
  id: string;
  name: string;
}

export interface FakeIntegration {
  id: string;
  name: string;
  type: string;
  teamId: string | null;
}

export interface FakeSchedule {
  id: string;
  name: string;
  teamId: string | null;
  type: 'ical' | 'calendar' | 'web';
  onCallNow: string[];
  shifts: { userId: string; start: string; end: string }[];
  /** When true, `on_call_now` also lists whoever the shifts put on call at the engine's now (as OnCall computes it). */
  onCallFromShifts?: boolean;
  /** The schedule's `time_zone`; default UTC. */
  timeZone?: string;
}

export interface FakeAlert {
  id: string;
  groupId: string;
  createdAt: string;
  payload: unknown;
}

export interface FakeAlertGroup {
  id: string;
  integrationId: string;
  teamId: string | null;
  routeId: string;
  title: string | null;
  createdAt: string;
  labels: Record<string, string>;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  silencedAt: string | null;
  /** Quirk knobs: OnCall refuses most actions on attached or maintenance groups. */
  attached: boolean;
  maintenance: boolean;
}

export interface FakeNote {
  id: string;
  groupId: string;
  author: string | null;
  createdAt: string;
  text: string;
}

/** One direct-paging request the engine accepted. */
export interface FakePage {
  alertGroupId: string;
  byUserId: string;
  userIds: string[];
  important: boolean[];
  teamId: string | null;
  created: boolean;
  at: string;
}

export class FakeOnCallState {
  readonly users = new Map<string, FakeUser>();
  readonly tokens = new Map<string, string>();
  readonly teams = new Map<string, FakeTeam>();
  readonly integrations = new Map<string, FakeIntegration>();
  readonly schedules = new Map<string, FakeSchedule>();
  readonly groups = new Map<string, FakeAlertGroup>();
  readonly alerts: FakeAlert[] = [];
  readonly notes: FakeNote[] = [];
  readonly pages: FakePage[] = [];

  constructor(
    private readonly now: () => number,
    private readonly webBase: string,
  ) {}

  iso(ms = this.now()): string {
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  }

  addUser(u: Partial<FakeUser> & { email: string; token?: string }): FakeUser {
    const user: FakeUser = {
      id: u.id ?? publicId('U'),
      email: u.email,
      username: u.username ?? u.email.split('@')[0],
      role: u.role ?? 'editor',
      teams: u.teams ?? [],
      currentTeam: u.currentTeam ?? null,
      timezone: u.timezone ?? 'UTC',
    };
    this.users.set(user.id, user);
    if (u.token) this.tokens.set(u.token, user.id);
    return user;
  }

  addTeam(t: Partial<FakeTeam> & { name: string }): FakeTeam {
    const team = { id: t.id ?? publicId('T'), name: t.name };
    this.teams.set(team.id, team);
    return team;
  }

  addIntegration(i: Partial<FakeIntegration> & { name: string }): FakeIntegration {
    const integ = { id: i.id ?? publicId('C'), name: i.name, type: i.type ?? 'formatted_webhook', teamId: i.teamId ?? null };
    this.integrations.set(integ.id, integ);
    return integ;
  }

  addSchedule(s: Partial<FakeSchedule> & { name: string }): FakeSchedule {
    const sched: FakeSchedule = {
      id: s.id ?? publicId('S'),
      name: s.name,
      teamId: s.teamId ?? null,
      type: s.type ?? 'web',
      onCallNow: s.onCallNow ?? [],
      shifts: s.shifts ?? [],
      onCallFromShifts: s.onCallFromShifts,
      timeZone: s.timeZone,
    };
    this.schedules.set(sched.id, sched);
    return sched;
  }

  /** A group with `alerts` (payloads, oldest first; default one `{title}` alert). `state` sets the flags as OnCall would. */
  addAlertGroup(g: {
    id?: string;
    integrationId: string;
    title?: string | null;
    teamId?: string | null;
    createdAt?: number;
    labels?: Record<string, string>;
    alerts?: unknown[];
    state?: 'firing' | 'acknowledged' | 'resolved' | 'silenced';
    by?: string;
    attached?: boolean;
    maintenance?: boolean;
  }): FakeAlertGroup {
    const created = this.iso(g.createdAt);
    const integ = this.integrations.get(g.integrationId);
    const group: FakeAlertGroup = {
      id: g.id ?? publicId('I'),
      integrationId: g.integrationId,
      teamId: g.teamId !== undefined ? g.teamId : (integ?.teamId ?? null),
      routeId: publicId('R'),
      title: g.title === undefined ? 'Incident' : g.title,
      createdAt: created,
      labels: g.labels ?? {},
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolvedBy: null,
      resolvedAt: null,
      silencedAt: null,
      attached: g.attached ?? false,
      maintenance: g.maintenance ?? false,
    };
    if (g.state === 'acknowledged') [group.acknowledgedBy, group.acknowledgedAt] = [g.by ?? null, created];
    if (g.state === 'resolved') [group.resolvedBy, group.resolvedAt] = [g.by ?? null, created];
    if (g.state === 'silenced') group.silencedAt = created;
    this.groups.set(group.id, group);
    for (const p of g.alerts ?? [{ title: group.title }]) this.addAlert(group.id, p, g.createdAt);
    return group;
  }

  addAlert(groupId: string, payload: unknown, at?: number): FakeAlert {
    const alert = { id: publicId('A'), groupId, createdAt: this.iso(at), payload };
    this.alerts.push(alert);
    return alert;
  }

  state(g: FakeAlertGroup): 'firing' | 'acknowledged' | 'resolved' | 'silenced' {
    if (g.resolvedAt) return 'resolved';
    if (g.acknowledgedAt) return 'acknowledged';
    if (g.silencedAt) return 'silenced';
    return 'firing';
  }

  alertsOf(groupId: string): FakeAlert[] {
    return this.alerts.filter((a) => a.groupId === groupId);
  }

  groupJson(g: FakeAlertGroup): Record<string, unknown> {
    const alerts = this.alertsOf(g.id);
    const last = alerts[alerts.length - 1];
    return {
      id: g.id,
      integration_id: g.integrationId,
      team_id: g.teamId,
      route_id: g.routeId,
      alerts_count: alerts.length,
      state: this.state(g),
      created_at: g.createdAt,
      resolved_at: g.resolvedAt,
      resolved_by: g.resolvedBy,
      acknowledged_at: g.acknowledgedAt,
      acknowledged_by: g.acknowledgedBy,
      labels: Object.entries(g.labels).map(([k, v]) => ({ key: { id: k, name: k }, value: { id: v, name: v } })),
      title: g.title,
      permalinks: { slack: null, slack_app: null, telegram: null, web: `${this.webBase}a/grafana-oncall-app/alert-groups/${g.id}` },
      silenced_at: g.silencedAt,
      last_alert: last ? this.alertJson(last) : null,
    };
  }

  alertJson(a: FakeAlert): Record<string, unknown> {
    return { id: a.id, alert_group_id: a.groupId, created_at: a.createdAt, payload: a.payload };
  }

  userJson(u: FakeUser, short = false): Record<string, unknown> {
    const base = { id: u.id, grafana_id: 1, email: u.email, username: u.username, role: u.role, is_phone_number_verified: false };
    return short ? base : { ...base, slack: null, timezone: u.timezone, teams: u.teams };
  }

  scheduleJson(s: FakeSchedule): Record<string, unknown> {
    return {
      id: s.id,
      team_id: s.teamId,
      name: s.name,
      time_zone: s.timeZone ?? 'UTC',
      slack: { channel_id: null, user_group_id: null },
      on_call_now: this.onCallNow(s),
      shifts: [],
      type: s.type,
    };
  }

  /** The explicit list, plus (with onCallFromShifts) the users whose shifts cover now; no repeats. */
  onCallNow(s: FakeSchedule): string[] {
    if (!s.onCallFromShifts) return s.onCallNow;
    const now = this.now();
    const fromShifts = s.shifts.filter((sh) => Date.parse(sh.start) <= now && now < Date.parse(sh.end)).map((sh) => sh.userId);
    return [...new Set([...s.onCallNow, ...fromShifts])];
  }

  integrationJson(i: FakeIntegration): Record<string, unknown> {
    return {
      id: i.id,
      name: i.name,
      type: i.type,
      team_id: i.teamId,
      link: `${this.webBase}integrations/v1/${i.type}/${i.id}/`,
      templates: {},
    };
  }

  noteJson(n: FakeNote): Record<string, unknown> {
    return { id: n.id, alert_group_id: n.groupId, author: n.author, source: 'web', created_at: n.createdAt, text: n.text };
  }

  /** The team's "Direct paging" integration, created on first use as OnCall does. */
  directPagingIntegration(teamId: string | null): FakeIntegration {
    for (const i of this.integrations.values()) if (i.type === 'direct_paging' && i.teamId === teamId) return i;
    const teamName = teamId ? this.teams.get(teamId)?.name : null;
    return this.addIntegration({
      name: teamName ? `Direct paging (${teamName} team)` : 'Direct paging (No team)',
      type: 'direct_paging',
      teamId,
    });
  }
}
