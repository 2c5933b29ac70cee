/** OnCallClient over OnCall's public HTTP API (what dozvon uses of it: docs/oncall.md). */
import { SystemClock, type Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/log';
import { oncallMinute, oncallTimestamp } from '../core/time';
import type { AlertGroupFilter, CallOptions, GroupAction, GroupActionOutcome, OnCallClient, PageRequest } from './client';
import { describeBody, OnCallError, sendRequest, type RequestSettings, type RequestSpec } from './http-request';
import type {
  AlertGroup,
  FinalShift,
  OnCallAlert,
  OnCallIntegration,
  OnCallPage,
  OnCallSchedule,
  OnCallTeam,
  OnCallUser,
  ResolutionNote,
} from './types';

export interface HttpOnCallClientOptions {
  /** Engine base URL, e.g. http://oncall-engine:8080 (the client adds api/v1/…). */
  baseUrl: string;
  /** The service's user API token (raw, no "Bearer"). */
  token: string;
  clock?: Clock;
  logger?: Logger;
  /** Per-try timeout; default 5000. */
  timeoutMs?: number;
  /** Extra tries on temporary errors; default 2. */
  retries?: number;
  /** Default 10000. */
  maxRetryAfterMs?: number;
}

/** "Can't acknowledge an acknowledged alert group" and friends: the state the group is already in. */
const ALREADY: Record<GroupAction, [RegExp, Extract<GroupActionOutcome, { status: 'already' }>['state']][]> = {
  acknowledge: [
    [/an acknowledged alert group/, 'acknowledged'],
    [/a resolved alert group/, 'resolved'],
  ],
  unacknowledge: [
    [/an unacknowledged alert group/, 'unacknowledged'],
    [/a resolved alert group/, 'resolved'],
  ],
  resolve: [[/a resolved alert group/, 'resolved']],
  unresolve: [[/an unresolved alert group/, 'unresolved']],
  silence: [
    [/a resolved alert group/, 'resolved'],
    [/an acknowledged alert group/, 'acknowledged'],
  ],
  unsilence: [
    [/an unsilenced alert group/, 'unsilenced'],
    [/a resolved alert group/, 'resolved'],
    [/an acknowledged alert group/, 'acknowledged'],
  ],
};

export class HttpOnCallClient implements OnCallClient {
  private readonly s: RequestSettings;

  constructor(opts: HttpOnCallClientOptions) {
    this.s = {
      baseUrl: opts.baseUrl,
      token: opts.token,
      clock: opts.clock ?? new SystemClock(),
      logger: (opts.logger ?? silentLogger()).child({ mod: 'oncall-client' }),
      timeoutMs: opts.timeoutMs ?? 5000,
      retries: opts.retries ?? 2,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 10_000,
    };
  }

  async listAlertGroups(f: AlertGroupFilter = {}, opts: CallOptions = {}): Promise<AlertGroup[]> {
    const q: [string, string][] = [];
    if (f.id) q.push(['id', f.id]);
    if (f.routeId) q.push(['route_id', f.routeId]);
    if (f.integrationId) q.push(['integration_id', f.integrationId]);
    if (f.teamId !== undefined) q.push(['team_id', f.teamId ?? 'null']);
    if (f.state) q.push(['state', f.state]);
    for (const [k, v] of Object.entries(f.labels ?? {})) q.push(['label', `${k}:${v}`]);
    if (f.startedAt) q.push(['started_at', `${oncallTimestamp(f.startedAt.from)}_${oncallTimestamp(f.startedAt.to)}`]);
    return this.list<AlertGroup>('api/v1/alert_groups/', q, opts, f.maxPages ?? 4);
  }

  getAlertGroup(id: string, opts: CallOptions = {}): Promise<AlertGroup> {
    return this.get<AlertGroup>(`api/v1/alert_groups/${enc(id)}/`, opts);
  }

  listAlerts(alertGroupId: string, opts: CallOptions = {}): Promise<OnCallAlert[]> {
    return this.list<OnCallAlert>('api/v1/alerts/', [['alert_group_id', alertGroupId]], opts, 1);
  }

  async act(action: GroupAction, id: string, opts: CallOptions & { delaySeconds?: number } = {}): Promise<GroupActionOutcome> {
    const body = action === 'silence' ? { delay: opts.delaySeconds ?? -1 } : undefined;
    const spec: RequestSpec = { method: 'POST', path: `api/v1/alert_groups/${enc(id)}/${action}`, body, ...pick(opts) };
    const res = await sendRequest(this.s, spec, true);
    if (res.status !== 400) return { status: 'done' };
    const detail = describeBody(res.body);
    for (const [re, state] of ALREADY[action]) if (re.test(detail)) return { status: 'already', state, detail };
    throw new OnCallError(400, detail, `${spec.method} /${spec.path}`, { temporary: false, body: res.body });
  }

  acknowledge(id: string, opts?: CallOptions): Promise<GroupActionOutcome> {
    return this.act('acknowledge', id, opts);
  }

  unacknowledge(id: string, opts?: CallOptions): Promise<GroupActionOutcome> {
    return this.act('unacknowledge', id, opts);
  }

  resolve(id: string, opts?: CallOptions): Promise<GroupActionOutcome> {
    return this.act('resolve', id, opts);
  }

  silence(id: string, delaySeconds: number, opts: CallOptions = {}): Promise<GroupActionOutcome> {
    return this.act('silence', id, { ...opts, delaySeconds });
  }

  async addResolutionNote(alertGroupId: string, text: string, opts: CallOptions = {}): Promise<ResolutionNote> {
    const res = await sendRequest(this.s, {
      method: 'POST',
      path: 'api/v1/resolution_notes/',
      body: { alert_group_id: alertGroupId, text },
      ...pick(opts),
    });
    return res.body as ResolutionNote;
  }

  listResolutionNotes(alertGroupId: string, opts: CallOptions = {}): Promise<ResolutionNote[]> {
    return this.list<ResolutionNote>('api/v1/resolution_notes/', [['alert_group_id', alertGroupId]], opts, 4);
  }

  async page(req: PageRequest, opts: CallOptions = {}): Promise<AlertGroup> {
    // Always send `team`: when absent OnCall uses the token user's current UI team, which
    // clashes with `users` ("users and team are mutually exclusive").
    const body: Record<string, unknown> = { team: req.team ?? null };
    if (req.users?.length) body.users = req.users.map((u) => ({ id: u.id, important: u.important ?? false }));
    if (req.importantTeamEscalation !== undefined) body.important_team_escalation = req.importantTeamEscalation;
    if (req.alertGroupId) body.alert_group_id = req.alertGroupId;
    if (req.title !== undefined) body.title = req.title;
    if (req.message !== undefined) body.message = req.message;
    if (req.sourceUrl !== undefined) body.source_url = req.sourceUrl;
    // Retries follow the caller: a retry after a lost answer may page twice, which beats not paging.
    const res = await sendRequest(this.s, { method: 'POST', path: 'api/v1/escalation/', body, ...pick(opts) });
    return res.body as AlertGroup;
  }

  listSchedules(f: { name?: string; teamId?: string } = {}, opts: CallOptions = {}): Promise<OnCallSchedule[]> {
    const q: [string, string][] = [];
    if (f.name) q.push(['name', f.name]);
    if (f.teamId) q.push(['team_id', f.teamId]);
    return this.list<OnCallSchedule>('api/v1/schedules/', q, opts, 10);
  }

  getSchedule(id: string, opts: CallOptions = {}): Promise<OnCallSchedule> {
    return this.get<OnCallSchedule>(`api/v1/schedules/${enc(id)}/`, opts);
  }

  finalShifts(scheduleId: string, range: { from: number; to: number }, opts: CallOptions = {}): Promise<FinalShift[]> {
    const q: [string, string][] = [
      ['start_date', oncallMinute(range.from)],
      ['end_date', oncallMinute(range.to)],
    ];
    return this.list<FinalShift>(`api/v1/schedules/${enc(scheduleId)}/final_shifts`, q, opts, 20);
  }

  listUsers(f: { email?: string; username?: string } = {}, opts: CallOptions = {}): Promise<OnCallUser[]> {
    const q: [string, string][] = [];
    if (f.email) q.push(['email', f.email]);
    if (f.username) q.push(['username', f.username]);
    return this.list<OnCallUser>('api/v1/users/', q, opts, 50);
  }

  getUser(id: string, opts: CallOptions = {}): Promise<OnCallUser> {
    return this.get<OnCallUser>(`api/v1/users/${enc(id)}/`, opts);
  }

  currentUser(opts: CallOptions = {}): Promise<OnCallUser> {
    return this.get<OnCallUser>('api/v1/users/current/', opts);
  }

  listTeams(f: { name?: string } = {}, opts: CallOptions = {}): Promise<OnCallTeam[]> {
    return this.list<OnCallTeam>('api/v1/teams/', f.name ? [['name', f.name]] : [], opts, 20);
  }

  listIntegrations(f: { name?: string } = {}, opts: CallOptions = {}): Promise<OnCallIntegration[]> {
    return this.list<OnCallIntegration>('api/v1/integrations/', f.name ? [['name', f.name]] : [], opts, 20);
  }

  getIntegration(id: string, opts: CallOptions = {}): Promise<OnCallIntegration> {
    return this.get<OnCallIntegration>(`api/v1/integrations/${enc(id)}/`, opts);
  }

  private async get<T>(path: string, opts: CallOptions): Promise<T> {
    return (await sendRequest(this.s, { method: 'GET', path, ...pick(opts) })).body as T;
  }

  /** Follows page numbers until `next` is null (a page past the end returns the last page, so never trust the count alone). */
  private async list<T>(path: string, query: [string, string][], opts: CallOptions, maxPages: number): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const q: [string, string][] = page === 1 ? query : [...query, ['page', String(page)]];
      const body = (await sendRequest(this.s, { method: 'GET', path, query: q, ...pick(opts) })).body as OnCallPage<T>;
      if (!body || !Array.isArray(body.results)) {
        throw new OnCallError(200, 'answer is not a paginated list', `GET /${path}`, { temporary: false, body });
      }
      out.push(...body.results);
      if (!body.next) break;
    }
    return out;
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function pick(opts: CallOptions): Pick<RequestSpec, 'token' | 'signal' | 'retries'> {
  return { token: opts.token, signal: opts.signal, retries: opts.retries };
}
