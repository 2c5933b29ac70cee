/** `dozvon teams …`, `dozvon oncall [TEAM]` and `dozvon import opsgenie DIR`. */
import type { Command } from 'commander';
import { cliActor } from '../audit';
import { EXIT } from '../output';
import { AppError, NotFoundError, ValidationError } from '../../core/errors';
import { parseRestriction } from '../../teams/restriction-text';
import { importOpsgenie, oncall, parseCount, parseEvery, parseStep, parseWhen, teamShow, withTeams } from '../teams';
import type { CliContext } from './context';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerTeamCommands(program: Command, ctx: CliContext): void {
  const { config, out, create } = ctx;
  const run = async (fn: Parameters<typeof withTeams>[2]) => ctx.exit(await withTeams(config(), create(), fn).catch(refused));
  // What the service refuses is the operator's input: said plainly, with the exit code scripts check.
  const refused = (e: unknown): number => {
    if (!(e instanceof AppError) || e.temporary) throw e;
    out().error(e.message);
    return e.code === 'invalid' || e.code === 'conflict' ? EXIT.usage : EXIT.failure;
  };
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
    .description('create a schedule: the time zone its rotations hand off in (--update changes an existing one)')
    .requiredOption('--tz <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--team <team>', 'the team that owns it')
    .option('--update', "change an existing schedule's time zone (and team, when given); its rotations stay")
    .action(async (name: string, f: { tz: string; team?: string; update?: boolean }) =>
      run(async (t) => {
        if (f.update) {
          const s = await t.schedule(name);
          const team = f.team ?? (s.teamId ? (await t.store.findTeam(s.teamId))?.name : undefined) ?? null;
          await t.change(cliActor(), (ops) => ops.updateSchedule(s.id, { name: s.name, team, timeZone: f.tz, enabled: s.enabled }));
          out().print(`updated schedule ${s.name} (${f.tz})`);
          return EXIT.ok;
        }
        await t
          .change(cliActor(), (ops) => ops.createSchedule({ name, team: f.team ?? null, timeZone: f.tz }))
          .catch((e: unknown) => {
            if (e instanceof AppError && e.code === 'conflict')
              throw new AppError('conflict', `${e.message} (--update changes its time zone)`);
            throw e;
          });
        out().print(`created schedule ${name} (${f.tz})`);
        return EXIT.ok;
      }),
    );
  teams
    .command('rotation <schedule> <name>')
    .description('add a rotation: people take turns, each for --every, the first from --start (its time of day is the hand-off time)')
    .option('--people <emails>', 'comma-separated emails, in turn order')
    .option('--start <when>', "first hand-off, e.g. 2026-03-02T09:00 (in the schedule's time zone)")
    .option('--every <length>', 'shift length: 12h, 1d, 1w')
    .option('--only <window>', 'on call only then (repeatable): "Mon-Fri 09:00-18:00", "22:00-06:00", "Fri 18:00-Mon 09:00"', collect, [])
    .option('--remove', 'remove the rotation instead')
    .action(
      async (schedule: string, name: string, f: { people?: string; start?: string; every?: string; only: string[]; remove?: boolean }) =>
        run(async (t) => {
          const s = await t.schedule(schedule);
          if (f.remove) {
            await t.change(cliActor(), (ops) => ops.removeRotation(s.id, name));
            out().print(`removed rotation ${name} from ${s.name}`);
            return EXIT.ok;
          }
          if (!f.people || !f.start || !f.every) throw new ValidationError('a new rotation needs --people, --start and --every');
          const input = {
            name,
            participants: f.people.split(',').map((e) => e.trim()),
            startsAt: parseWhen(f.start, s.timeZone, '--start'),
            ...parseEvery(f.every),
            restrictions: f.only.flatMap(parseRestriction),
          };
          await t.change(cliActor(), (ops) => ops.addRotation(s.id, input));
          out().print(`added rotation ${name} to ${s.name}`);
          return EXIT.ok;
        }),
    );
  teams
    .command('override <schedule> [email]')
    .description('someone takes over a schedule for a while ("I take tonight"); --remove ID takes an override back')
    .option('--from <when>', "start, e.g. 2026-03-02T18:00 (in the schedule's time zone)")
    .option('--to <when>', 'end')
    .option('--rotation <name>', 'only this rotation (default: the whole schedule)')
    .option('--remove <id>', 'remove the override with this id (as `teams show` lists it)')
    .action(async (schedule: string, email: string | undefined, f: { from?: string; to?: string; rotation?: string; remove?: string }) =>
      run(async (t) => {
        const s = await t.schedule(schedule);
        if (f.remove !== undefined) {
          const id = f.remove;
          if (!(await t.change(cliActor(), (ops) => ops.removeOverride(s.id, id)))) throw new NotFoundError(`override ${id} of ${s.name}`);
          out().print(`removed override ${id} from ${s.name}`);
          return EXIT.ok;
        }
        if (!email || !f.from || !f.to) throw new ValidationError('an override needs an email, --from and --to');
        const input = {
          user: email,
          startsAt: parseWhen(f.from, s.timeZone, '--from'),
          endsAt: parseWhen(f.to, s.timeZone, '--to'),
          rotation: f.rotation ?? null,
        };
        const o = await t.change(cliActor(), (ops) => ops.addOverride(s.id, input));
        out().print(`override ${o.id}: ${email} on call for ${s.name}`, { override: o });
        return EXIT.ok;
      }),
    );
  teams
    .command('policy <team> <name>')
    .description("create or replace a team's escalation policy (the same name edits it), or remove it with --remove")
    .option(
      '--step <step>',
      'after N minutes, notify: "0:schedule:DB", "5:user:ann@example.com", "10:team:Database" (repeatable, in order)',
      collect,
      [],
    )
    .option('--repeat <count>', 'run the steps this many more times', '0')
    .option('--repeat-after <minutes>', "minutes after the last step's start before they run again", '0')
    .option('--remove', 'remove the policy')
    .action(async (team: string, name: string, f: { step: string[]; repeat: string; repeatAfter: string; remove?: boolean }) =>
      run(async (t) => {
        if (f.remove) {
          await t.change(cliActor(), (ops) => ops.removeTeamPolicy(team, name));
          out().print(`removed escalation policy ${name} of ${team}`);
          return EXIT.ok;
        }
        if (!f.step.length) throw new ValidationError('a policy needs at least one --step');
        const input = {
          name,
          steps: f.step.map(parseStep),
          repeat: parseCount(f.repeat, '--repeat'),
          repeatAfterMinutes: parseCount(f.repeatAfter, '--repeat-after'),
        };
        const p = await t.change(cliActor(), (ops) => ops.saveTeamPolicy(team, input));
        out().print(`saved escalation policy ${p.name} of ${team}: ${p.steps.length} step(s)`, { policy: p });
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
