/**
 * /console/teams: teams with who is on call, one page per team (members, each schedule drawn over
 * the next two weeks, overrides, the escalation policy), and the forms to create a team, add a
 * member and take over a schedule for a while. Every change goes through the teams service,
 * audited as the signed-in operator; the router has already checked origin and CSRF.
 */
import { DateTime } from 'luxon';
import { Router, type Request, type Response } from '../../http/express';
import { AppError, errorMessage } from '../../core/errors';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { href, notice, words } from '../ui';
import { sendHtml } from '../../web/send';
import { html } from '../../web/html';
import { TEXTS, type Words } from './texts';
import { listBody, teamBody, type TeamPage } from './pages';
import { TEAMS_CSS } from './timeline';

const DONE = ['created', 'member', 'override', 'override-removed'] as const;

function flash(t: Words, done: unknown) {
  return typeof done === 'string' && (DONE as readonly string[]).includes(done)
    ? notice(t(`done.${done as (typeof DONE)[number]}`), 'good')
    : null;
}

const text = (v: unknown, max = 2000) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

export function teamsArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  const teams = deps.teams;
  const actor = (res: Response) => ctxOf(res).user.actor;
  const t = (res: Response) => words(ctxOf(res), TEXTS);

  const refused = async (res: Response, e: unknown) => {
    // Input the service refused (a clash, a bad value, someone removed meanwhile) is shown, not logged as a failure.
    if (!(e instanceof AppError) || e.temporary) throw e;
    const ctx = ctxOf(res);
    const back = html`<p><a href="${href(ctx, 'teams')}">${t(res)('back')}</a></p>`;
    sendHtml(
      res,
      e.code === 'not-found' ? 404 : 400,
      shell(ctx, { title: t(res)('error.title'), section: 'teams', body: back, flash: notice(errorMessage(e), 'bad') }),
    );
  };

  r.get('/', async (req, res) => {
    const rows = [];
    for (const team of await teams.listTeams()) {
      const v = await teams.view(team.id);
      rows.push({ team, members: v.members.length, onCall: await teams.teamOnCall(team.id, deps.now()) });
    }
    sendHtml(
      res,
      200,
      shell(ctxOf(res), {
        title: t(res)('list.title'),
        section: 'teams',
        body: listBody(ctxOf(res), t(res), rows),
        flash: flash(t(res), req.query.done),
      }),
    );
  });

  r.post('/new', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    try {
      const team = await teams.change(actor(res), (ops) =>
        ops.createTeam({ name: text(body.name, 100), description: text(body.description) }),
      );
      res.redirect(303, `${href(ctxOf(res), 'teams', team.name)}?done=created`);
    } catch (e) {
      await refused(res, e);
    }
  });

  r.post('/schedules/:schedule/overrides', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const ctx = ctxOf(res);
    try {
      const s = await teams.schedule(String(req.params.schedule));
      const at = (v: unknown) => {
        const d = DateTime.fromISO(text(v, 40), { zone: s.timeZone });
        if (!d.isValid) throw new AppError('invalid', t(res)('error.time'));
        return d.toMillis();
      };
      await teams.change(actor(res), (ops) =>
        ops.addOverride(s.id, {
          user: text(body.email, 254),
          startsAt: at(body.from),
          endsAt: at(body.to),
          rotation: text(body.rotation, 100) || null,
        }),
      );
      res.redirect(303, `${href(ctx, 'teams', await teamOf(s.teamId))}?done=override`);
    } catch (e) {
      await refused(res, e);
    }
  });

  r.post('/schedules/:schedule/overrides/:id/remove', async (req, res) => {
    const ctx = ctxOf(res);
    try {
      const s = await teams.schedule(String(req.params.schedule));
      await teams.change(actor(res), (ops) => ops.removeOverride(s.id, String(req.params.id)));
      res.redirect(303, `${href(ctx, 'teams', await teamOf(s.teamId))}?done=override-removed`);
    } catch (e) {
      await refused(res, e);
    }
  });

  r.get('/:name', async (req, res) => {
    const ctx = ctxOf(res);
    let view;
    try {
      view = await teams.view(String(req.params.name));
    } catch (e) {
      return refused(res, e);
    }
    const page = await teamPage(deps, view);
    sendHtml(
      res,
      200,
      shell(ctx, { title: view.team.name, section: 'teams', body: teamBody(ctx, t(res), page), flash: flash(t(res), req.query.done) }),
    );
  });

  r.post('/:name/members', async (req: Request, res) => {
    const body = req.body as Record<string, unknown>;
    const ctx = ctxOf(res);
    try {
      const name = String(req.params.name);
      await teams.change(actor(res), (ops) => ops.addMember(name, text(body.email, 254), body.role === 'admin' ? 'admin' : 'user'));
      res.redirect(303, `${href(ctx, 'teams', name)}?done=member`);
    } catch (e) {
      await refused(res, e);
    }
  });

  /** A schedule without a team still has a page to go back to: the list. */
  async function teamOf(teamId: string | null): Promise<string> {
    const team = teamId ? await teams.store.findTeam(teamId) : null;
    return team?.name ?? '';
  }

  return { path: '/teams', router: r, css: TEAMS_CSS };
}

async function teamPage(deps: ConsoleDeps, view: TeamPage['view']): Promise<TeamPage> {
  const { teams } = deps;
  const people = (await deps.users.list()).users;
  const byId = new Map(people.map((u) => [u.id, u.name]));
  const onCall: TeamPage['onCall'] = new Map();
  const feeds = new Map<string, string>();
  const links = await deps.calendarLinks();
  const root = deps.config.publicUrl.replace(/\/?$/, '/');
  for (const s of view.schedules) {
    onCall.set(s.id, await teams.onCall(s.id, deps.now()));
    for (const r of s.rotations) feeds.set(r.id, `${root}calendar/${links.token(r.id)}.ics`);
  }
  const schedules = new Map((await teams.store.scheduleRows()).map((s) => [s.id, s.name]));
  const teamNames = new Map((await teams.listTeams()).map((x) => [x.id, x.name]));
  return { view, people, nameOf: (id) => byId.get(id) ?? `#${id}`, onCall, feeds, names: { schedules, teams: teamNames } };
}
