/** `dozvon teams …`, `dozvon oncall [TEAM]` and `dozvon import opsgenie DIR`. */
import type { Command } from 'commander';
import { cliActor } from '../audit';
import { EXIT } from '../output';
import { importOpsgenie, oncall, parseEvery, parseWhen, teamShow, withTeams } from '../teams';
import type { CliContext } from './context';

export function registerTeamCommands(program: Command, ctx: CliContext): void {
  const { config, out, create } = ctx;
  const run = async (fn: Parameters<typeof withTeams>[2]) => ctx.exit(await withTeams(config(), create(), fn));
  const teams = program.command('teams').description('teams, their schedules, rotations, overrides and escalation policies');
  teams
    .command('list')
    .description('list teams')
    .action(async () =>
      run(async (t) => {
        const list = await t.listTeams();
        out().print(list.map((x) => x.name).join('\n') || 'no teams', { teams: list });
        return EXIT.ok;
      }),
    );
  teams
    .command('show <team>')
    .description('members, schedules with who is on call, rotations, overrides and policies of a team')
    .action(async (team: string) => run((t) => teamShow(t, team, out())));
  teams
    .command('add <name>')
    .description('create a team')
    .option('--description <text>', 'what the team looks after', '')
    .action(async (name: string, f: { description: string }) =>
      run(async (t) => {
        const team = await t.change(cliActor(), (ops) => ops.createTeam({ name, description: f.description }));
        out().print(`created team ${team.name}`, { team });
        return EXIT.ok;
      }),
    );
  teams
    .command('member <team> <email>')
    .description('add a person from the directory to a team (or take them out with --remove)')
    .option('--role <role>', 'admin or user', 'user')
    .option('--remove', 'take the person out of the team')
    .action(async (team: string, email: string, f: { role: string; remove?: boolean }) =>
      run(async (t) => {
        if (f.remove) await t.change(cliActor(), (ops) => ops.removeMember(team, email));
        else await t.change(cliActor(), (ops) => ops.addMember(team, email, f.role === 'admin' ? 'admin' : 'user'));
        out().print(`${f.remove ? 'removed' : 'added'} ${email} ${f.remove ? 'from' : 'to'} ${team}`);
        return EXIT.ok;
      }),
    );
  teams
    .command('schedule <name>')
    .description('create a schedule: the time zone its rotations hand off in')
    .requiredOption('--tz <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--team <team>', 'the team that owns it')
    .action(async (name: string, f: { tz: string; team?: string }) =>
      run(async (t) => {
        await t.change(cliActor(), (ops) => ops.createSchedule({ name, team: f.team ?? null, timeZone: f.tz }));
        out().print(`created schedule ${name} (${f.tz})`);
        return EXIT.ok;
      }),
    );
  teams
    .command('rotation <schedule> <name>')
    .description('add a rotation: people take turns, each for --every, the first from --start (its time of day is the hand-off time)')
    .requiredOption('--people <emails>', 'comma-separated emails, in turn order')
    .requiredOption('--start <when>', "first hand-off, e.g. 2026-03-02T09:00 (in the schedule's time zone)")
    .requiredOption('--every <length>', 'shift length: 12h, 1d, 1w')
    .action(async (schedule: string, name: string, f: { people: string; start: string; every: string }) =>
      run(async (t) => {
        const s = await t.schedule(schedule);
        const input = {
          name,
          participants: f.people.split(',').map((e) => e.trim()),
          startsAt: parseWhen(f.start, s.timeZone, '--start'),
          ...parseEvery(f.every),
        };
        await t.change(cliActor(), (ops) => ops.addRotation(schedule, input));
        out().print(`added rotation ${name} to ${s.name}`);
        return EXIT.ok;
      }),
    );
  teams
    .command('override <schedule> <email>')
    .description('someone takes over a schedule for a while ("I take tonight")')
    .requiredOption('--from <when>', "start, e.g. 2026-03-02T18:00 (in the schedule's time zone)")
    .requiredOption('--to <when>', 'end')
    .option('--rotation <name>', 'only this rotation (default: the whole schedule)')
    .action(async (schedule: string, email: string, f: { from: string; to: string; rotation?: string }) =>
      run(async (t) => {
        const s = await t.schedule(schedule);
        const o = await t.change(cliActor(), (ops) =>
          ops.addOverride(schedule, {
            user: email,
            startsAt: parseWhen(f.from, s.timeZone, '--from'),
            endsAt: parseWhen(f.to, s.timeZone, '--to'),
            rotation: f.rotation ?? null,
          }),
        );
        out().print(`override ${o.id}: ${email} on call for ${s.name}`, { override: o });
        return EXIT.ok;
      }),
    );
  program
    .command('oncall [team]')
    .description('who is on call now, and next, in every schedule (or the team’s)')
    .action(async (team: string | undefined) => run((t) => oncall(t, team, out())));
  program
    .command('import')
    .description('bring teams over from another service')
    .command('opsgenie <dir>')
    .description(
      "read Opsgenie's saved API answers (users, teams, schedules, escalations), show what would change, and write it with --apply",
    )
    .option('--apply', 'write it (all or nothing)')
    .action(async (dir: string, f: { apply?: boolean }) => run((t) => importOpsgenie(t, dir, Boolean(f.apply), config().lang, out())));
}
