/**
 * The team page's editors: add a schedule, add or remove a rotation, save or remove an escalation
 * policy. Each reads its form, calls the teams service as the signed-in operator, and goes back to
 * the team page; what the service refuses is shown on an error page linking back to the team.
 */
import type { Response, RouterT } from '../../http/express';
import type { Teams } from '../../teams/service';
import { ctxOf } from '../context';
import { href } from '../ui';
import { policyFromForm, rotationFromForm, text, type Body } from './forms';
import type { Words } from './texts';

export interface Kit {
  teams: Teams;
  actor: (res: Response) => string;
  t: (res: Response) => Words;
  refused: (res: Response, e: unknown, team?: string) => Promise<void>;
  /** The name of a schedule's team, '' for none (the list is then the page to go back to). */
  teamOf: (teamId: string | null) => Promise<string>;
}

export function editRoutes(r: RouterT, k: Kit): void {
  const { teams, actor, t, refused } = k;
  const back = (res: Response, team: string, done: string) => res.redirect(303, `${href(ctxOf(res), 'teams', team)}?done=${done}`);

  r.post('/:name/schedules', async (req, res) => {
    const body = req.body as Body;
    const team = String(req.params.name);
    try {
      const input = { name: text(body.name, 100), team, timeZone: text(body.zone, 64) };
      await teams.change(actor(res), (ops) => ops.createSchedule(input));
      back(res, team, 'schedule');
    } catch (e) {
      await refused(res, e, team);
    }
  });

  r.post('/schedules/:schedule/rotations', async (req, res) => {
    let team: string | undefined;
    try {
      const s = await teams.schedule(String(req.params.schedule));
      team = await k.teamOf(s.teamId);
      const input = rotationFromForm(t(res), req.body as Body, s.timeZone);
      await teams.change(actor(res), (ops) => ops.addRotation(s.id, input));
      back(res, team, 'rotation');
    } catch (e) {
      await refused(res, e, team);
    }
  });

  r.post('/schedules/:schedule/rotations/:rotation/remove', async (req, res) => {
    let team: string | undefined;
    try {
      const s = await teams.schedule(String(req.params.schedule));
      team = await k.teamOf(s.teamId);
      const rot = s.rotations.find((x) => x.id === String(req.params.rotation));
      await teams.change(actor(res), (ops) => ops.removeRotation(s.id, rot?.name ?? String(req.params.rotation)));
      back(res, team, 'rotation-removed');
    } catch (e) {
      await refused(res, e, team);
    }
  });

  r.post('/:name/policy', async (req, res) => {
    const team = String(req.params.name);
    try {
      const input = policyFromForm(t(res), req.body as Body);
      await teams.change(actor(res), (ops) => ops.saveTeamPolicy(team, input));
      back(res, team, 'policy');
    } catch (e) {
      await refused(res, e, team);
    }
  });

  r.post('/:name/policy/:policy/remove', async (req, res) => {
    const team = String(req.params.name);
    try {
      await teams.change(actor(res), (ops) => ops.removeTeamPolicy(team, String(req.params.policy)));
      back(res, team, 'policy-removed');
    } catch (e) {
      await refused(res, e, team);
    }
  });
}
