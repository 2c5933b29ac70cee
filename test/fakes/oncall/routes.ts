/** Request handlers of the fake engine: one function per public-API resource. */
import { publicId } from '../../../src/core/ids';
import type { FakeAlertGroup, FakeOnCallState, FakePage, FakeUser } from './state';

export interface FakeReply {
  status: number;
  body?: unknown;
  text?: boolean;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: FakeOnCallState;
  method: string;
  /** Path without trailing slashes. */
  path: string;
  fullPath: string;
  query: URLSearchParams;
  body: unknown;
  user: FakeUser;
  base: string;
  pageSize(list: string): number;
  paged(page: FakePage): Promise<void>;
}

const NOT_FOUND: FakeReply = { status: 404, body: { detail: 'Not found.' } };
const ACTIONS = ['acknowledge', 'unacknowledge', 'resolve', 'unresolve', 'silence', 'unsilence'] as const;
type Action = (typeof ACTIONS)[number];

export async function route(c: RouteContext): Promise<FakeReply> {
  const p = c.path.replace(/^\/api\/v1/, '');
  const seg = p.split('/').filter(Boolean);
  const get = c.method === 'GET';
  const post = c.method === 'POST';
  switch (seg[0]) {
    case 'alert_groups':
      if (get && seg.length === 1) return listAlertGroups(c);
      if (get && seg.length === 2) return one(c.state.groups.get(seg[1]), (g) => c.state.groupJson(g));
      if (post && seg.length === 3 && (ACTIONS as readonly string[]).includes(seg[2])) return groupAction(c, seg[1], seg[2] as Action);
      break;
    case 'alerts':
      if (get && seg.length === 1) {
        const gid = c.query.get('alert_group_id');
        const rows = c.state.alerts.filter((a) => !gid || a.groupId === gid).reverse();
        return paginate(
          c,
          'alerts',
          rows.map((a) => c.state.alertJson(a)),
        );
      }
      break;
    case 'resolution_notes':
      if (get && seg.length === 1) {
        const gid = c.query.get('alert_group_id');
        return paginate(
          c,
          'resolution_notes',
          c.state.notes.filter((n) => !gid || n.groupId === gid).map((n) => c.state.noteJson(n)),
        );
      }
      if (post && seg.length === 1) return addNote(c);
      break;
    case 'escalation':
      if (post && seg.length === 1) return escalate(c);
      break;
    case 'schedules':
      if (get && seg.length === 1) {
        const rows = [...c.state.schedules.values()].filter(
          (s) =>
            (!c.query.get('name') || s.name === c.query.get('name')) && (!c.query.get('team_id') || s.teamId === c.query.get('team_id')),
        );
        return paginate(
          c,
          'schedules',
          rows.map((s) => c.state.scheduleJson(s)),
        );
      }
      if (get && seg.length === 2) return one(c.state.schedules.get(seg[1]), (s) => c.state.scheduleJson(s));
      if (get && seg.length === 3 && seg[2] === 'final_shifts') return finalShifts(c, seg[1]);
      break;
    case 'users':
      if (get && seg.length === 1) return listUsers(c);
      if (get && seg.length === 2) return one(seg[1] === 'current' ? c.user : c.state.users.get(seg[1]), (u) => c.state.userJson(u));
      break;
    case 'teams':
      if (get && seg.length === 1) {
        const rows = [...c.state.teams.values()].filter((t) => !c.query.get('name') || t.name === c.query.get('name'));
        return paginate(
          c,
          'teams',
          rows.map((t) => ({ id: t.id, grafana_id: 1, name: t.name, email: null, avatar_url: '' })),
        );
      }
      break;
    case 'integrations':
      if (get && seg.length === 1) {
        const rows = [...c.state.integrations.values()].filter((i) => !c.query.get('name') || i.name === c.query.get('name'));
        return paginate(
          c,
          'integrations',
          rows.map((i) => c.state.integrationJson(i)),
        );
      }
      if (get && seg.length === 2) return one(c.state.integrations.get(seg[1]), (i) => c.state.integrationJson(i));
      break;
  }
  return NOT_FOUND;
}

function one<T>(obj: T | undefined, json: (o: T) => unknown): FakeReply {
  return obj ? { status: 200, body: json(obj) } : NOT_FOUND;
}

/** PathPrefixedPagePagination: 1-based `page`, `perpage`; a page past the end is the last page. */
function paginate(c: RouteContext, list: string, rows: unknown[]): FakeReply {
  const size = Math.max(1, Number(c.query.get('perpage')) || c.pageSize(list));
  const total = Math.max(1, Math.ceil(rows.length / size));
  const page = Math.min(total, Math.max(1, Number(c.query.get('page')) || 1));
  const link = (n: number) => {
    const q = new URLSearchParams(c.query);
    q.set('page', String(n));
    return `${c.base.replace(/\/$/, '')}${c.fullPath}?${q.toString()}`;
  };
  return {
    status: 200,
    body: {
      count: rows.length,
      next: page < total ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: rows.slice((page - 1) * size, page * size),
      page_size: size,
      current_page_number: page,
      total_pages: total,
    },
  };
}

const STATE_FILTERS: Record<string, (s: string) => boolean> = {
  new: (s) => s === 'firing',
  acknowledged: (s) => s === 'acknowledged',
  silenced: (s) => s === 'silenced',
  resolved: (s) => s === 'resolved',
};

function listAlertGroups(c: RouteContext): FakeReply {
  const q = c.query;
  let rows = [...c.state.groups.values()];
  const state = q.get('state');
  if (state !== null) {
    const f = STATE_FILTERS[state.toLowerCase()];
    if (!f) return { status: 400, body: { detail: { state: 'Must be one of the following: new, acknowledged, resolved, silenced' } } };
    rows = rows.filter((g) => f(c.state.state(g)));
  }
  const range = q.get('started_at');
  if (range !== null) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)_(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)$/.exec(range);
    if (!m) return { status: 400, body: { detail: 'Invalid range value' } };
    const [from, to] = [Date.parse(m[1] + 'Z'), Date.parse(m[2] + 'Z') + 999];
    rows = rows.filter((g) => Date.parse(g.createdAt) >= from && Date.parse(g.createdAt) <= to);
  }
  for (const [key, field] of [
    ['id', 'id'],
    ['integration_id', 'integrationId'],
    ['route_id', 'routeId'],
  ] as const) {
    const v = q.get(key);
    if (v !== null) rows = rows.filter((g) => g[field] === v);
  }
  const team = q.get('team_id');
  if (team !== null) rows = rows.filter((g) => g.teamId === (team === 'null' ? null : team));
  for (const l of q.getAll('label')) {
    const [k, ...v] = l.split(':');
    rows = rows.filter((g) => g.labels[k] === v.join(':'));
  }
  rows.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return paginate(
    c,
    'alert_groups',
    rows.map((g) => c.state.groupJson(g)),
  );
}

/** OnCall's checks, in its order (the first that fails names the 400's detail). */
function groupAction(c: RouteContext, id: string, action: Action): FakeReply {
  const g = c.state.groups.get(id);
  if (!g) return NOT_FOUND;
  const bad = (detail: string): FakeReply => ({ status: 400, body: { detail } });
  const st = { ack: !!g.acknowledgedAt, res: !!g.resolvedAt, sil: !!g.silencedAt };
  const now = c.state.iso();
  switch (action) {
    case 'acknowledge':
      if (st.ack) return bad("Can't acknowledge an acknowledged alert group");
      if (st.res) return bad("Can't acknowledge a resolved alert group");
      if (g.attached) return bad("Can't acknowledge an attached alert group");
      if (g.maintenance) return bad("Can't acknowledge a maintenance alert group");
      [g.acknowledgedBy, g.acknowledgedAt, g.silencedAt] = [c.user.id, now, null];
      break;
    case 'unacknowledge':
      if (!st.ack) return bad("Can't unacknowledge an unacknowledged alert group");
      if (st.res) return bad("Can't unacknowledge a resolved alert group");
      if (g.attached) return bad("Can't unacknowledge an attached alert group");
      [g.acknowledgedBy, g.acknowledgedAt] = [null, null];
      break;
    case 'resolve':
      if (st.res) return bad("Can't resolve a resolved alert group");
      if (g.attached) return bad("Can't resolve an attached alert group");
      [g.resolvedBy, g.resolvedAt] = [c.user.id, now];
      break;
    case 'unresolve':
      if (!st.res) return bad("Can't unresolve an unresolved alert group");
      [g.resolvedBy, g.resolvedAt] = [null, null];
      break;
    case 'silence': {
      const delay = (c.body as { delay?: unknown } | null)?.delay;
      if (delay === undefined) return bad('delay is required');
      if (!Number.isInteger(Number(delay)) || Number(delay) < -1) return bad('invalid delay value');
      if (st.res) return bad("Can't silence a resolved alert group");
      if (st.ack) return bad("Can't silence an acknowledged alert group");
      g.silencedAt = now;
      break;
    }
    case 'unsilence':
      if (!st.sil) return bad("Can't unsilence an unsilenced alert group");
      if (st.res) return bad("Can't unsilence a resolved alert group");
      if (st.ack) return bad("Can't unsilence an acknowledged alert group");
      g.silencedAt = null;
      break;
  }
  return { status: 200 };
}

function addNote(c: RouteContext): FakeReply {
  const b = (c.body ?? {}) as { alert_group_id?: string; text?: string };
  if (!b.text) return { status: 400, body: { text: ['This field is required.'] } };
  if (!b.alert_group_id || !c.state.groups.has(b.alert_group_id))
    return { status: 400, body: { alert_group_id: ['Object does not exist'] } };
  const note = { id: publicId('M'), groupId: b.alert_group_id, author: c.user.id, createdAt: c.state.iso(), text: b.text };
  c.state.notes.push(note);
  return { status: 201, body: c.state.noteJson(note) };
}

interface EscalationBody {
  users?: { id: string; important?: boolean }[];
  team?: string | null;
  alert_group_id?: string;
  title?: string;
  message?: string;
  source_url?: string;
  important_team_escalation?: boolean;
}

/** Direct paging with OnCall's validation order and the `team` default quirk. */
async function escalate(c: RouteContext): Promise<FakeReply> {
  const b = (c.body ?? {}) as EscalationBody;
  const users = b.users ?? [];
  if (b.alert_group_id && (b.title !== undefined || b.message !== undefined || b.source_url !== undefined)) {
    return { status: 400, body: { non_field_errors: ['alert_group_id and (title, message, source_url) are mutually exclusive'] } };
  }
  const unknown = users.find((u) => !c.state.users.has(u.id));
  if (unknown) return { status: 400, body: { users: [{ non_field_errors: [`User ${unknown.id} does not exist`] }] } };
  const team = 'team' in b ? (b.team ?? null) : c.user.currentTeam;
  if (team !== null && !c.state.teams.has(team)) return { status: 400, body: { team: [`Invalid pk "${team}" - object does not exist.`] } };
  if (users.length && team !== null) return { status: 400, body: { non_field_errors: ['users and team are mutually exclusive'] } };
  let group: FakeAlertGroup | undefined;
  if (b.alert_group_id) {
    group = c.state.groups.get(b.alert_group_id);
    if (!group) return { status: 400, body: { non_field_errors: [`Alert group ${b.alert_group_id} does not exist`] } };
  }
  if (!users.length && team === null) return { status: 400, body: { detail: 'No team or user(s) specified' } };
  if (group?.resolvedAt) return { status: 400, body: { detail: 'Cannot add responders for a resolved alert group' } };
  const created = !group;
  if (!group) {
    const names = users.map((u) => c.state.users.get(u.id)!.username).concat(team ? [c.state.teams.get(team)!.name] : []);
    const title = b.title ?? `${c.user.username} is paging ${names.join(', ')} to join escalation`;
    const integ = c.state.directPagingIntegration(team);
    const payload = {
      oncall: {
        title,
        message: b.message ?? '',
        uid: publicId('X'),
        author_username: c.user.username,
        permalink: b.source_url ?? null,
        important: b.important_team_escalation ?? false,
      },
    };
    group = c.state.addAlertGroup({ integrationId: integ.id, title, teamId: team, alerts: [payload] });
  }
  const page: FakePage = {
    alertGroupId: group.id,
    byUserId: c.user.id,
    userIds: users.map((u) => u.id),
    important: users.map((u) => u.important ?? false),
    teamId: team,
    created,
    at: c.state.iso(),
  };
  c.state.pages.push(page);
  await c.paged(page);
  return { status: 200, body: c.state.groupJson(group) };
}

function finalShifts(c: RouteContext, id: string): FakeReply {
  const s = c.state.schedules.get(id);
  if (!s) return NOT_FOUND;
  const start = Date.parse(`${c.query.get('start_date')}${(c.query.get('start_date') ?? '').length > 10 ? '' : 'T00:00'}Z`);
  const end = Date.parse(`${c.query.get('end_date')}${(c.query.get('end_date') ?? '').length > 10 ? '' : 'T23:59'}Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return { status: 400, body: { detail: 'Invalid date format, please use YYYY-MM-DD' } };
  const rows = s.shifts
    .filter((sh) => Date.parse(sh.end) > start && Date.parse(sh.start) < end)
    .map((sh) => {
      const u = c.state.users.get(sh.userId)!;
      const clip = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
      return {
        user_pk: u.id,
        user_email: u.email,
        user_username: u.username,
        shift_start: clip(Math.max(start, Date.parse(sh.start))),
        shift_end: clip(Math.min(end, Date.parse(sh.end))),
      };
    });
  return paginate(c, 'final_shifts', rows);
}

function listUsers(c: RouteContext): FakeReply {
  const email = c.query.get('email')?.toLowerCase();
  const username = c.query.get('username')?.toLowerCase();
  const rows = [...c.state.users.values()].filter(
    (u) => (!email || u.email.toLowerCase() === email) && (!username || u.username.toLowerCase() === username),
  );
  return paginate(
    c,
    'users',
    rows.map((u) => c.state.userJson(u, c.query.get('short') === 'true')),
  );
}
