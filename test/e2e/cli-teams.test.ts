/**
 * The teams commands as an operator types them: build a team with a rotation, take over tonight,
 * ask who is on call; write, edit and remove an escalation policy and restricted rotations, with
 * plain refusals and exit codes for bad input; and the Opsgenie import previews first, writes
 * only with --apply.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../helpers/cli';
import { openCliDb } from '../../src/cli/db';
import { loadConfig } from '../../src/config';
import { AuditRepo } from '../../src/audit';
import { parseCount, parseEvery, parseStep, parseWhen } from '../../src/cli/teams';

describe('dozvon teams / oncall / import opsgenie', function () {
  this.timeout(30000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-teams-'));
    env = { DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`, DOZVON_TTS: 'none' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...args: string[]) => {
    const r = await runCliCaptured(args, env);
    expect(r.code, r.stderr).to.equal(0);
    return r.stdout;
  };

  it('builds a team and a rotation, and says who is on call now and next', async () => {
    await run('users', 'add', '--email', 'ann@example.com', '--name', 'Ann', '--phone', '+15550001111');
    await run('users', 'add', '--email', 'bob@example.com', '--name', 'Bob', '--phone', '+15550002222');
    await run('teams', 'add', 'Database');
    await run('teams', 'member', 'Database', 'ann@example.com', '--role', 'admin');
    await run('teams', 'schedule', 'DB', '--tz', 'Europe/Berlin', '--team', 'Database');
    // Started a week ago at 09:00 local, daily: whoever is on call, the other is next.
    const start = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10) + 'T09:00';
    await run('teams', 'rotation', 'DB', 'primary', '--people', 'ann@example.com,bob@example.com', '--start', start, '--every', '1d');
    const json = JSON.parse(await run('--json', 'oncall', 'Database'));
    expect(json.schedules).to.have.length(1);
    const [now] = json.schedules[0].now;
    expect(['ann@example.com', 'bob@example.com']).to.include(now);
    expect(json.schedules[0].next.people).to.deep.equal([now === 'ann@example.com' ? 'bob@example.com' : 'ann@example.com']);
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    await run('teams', 'override', 'DB', 'bob@example.com', '--from', from, '--to', to);
    expect(JSON.parse(await run('--json', 'oncall')).schedules[0].now).to.deep.equal(['bob@example.com']);
    expect(await run('teams', 'show', 'Database')).to.include('rotation primary: every 1 days, ann@example.com → bob@example.com');
  });

  const refused = async (...args: string[]) => {
    const r = await runCliCaptured(args, env);
    return { code: r.code, error: r.stderr.trim() };
  };
  const setUp = async () => {
    await run('users', 'add', '--email', 'ann@example.com', '--name', 'Ann', '--phone', '+15550001111');
    await run('users', 'add', '--email', 'bob@example.com', '--name', 'Bob', '--phone', '+15550002222');
    await run('teams', 'add', 'Database');
    await run('teams', 'add', 'Web');
    await run('teams', 'member', 'Database', 'ann@example.com');
    await run('teams', 'schedule', 'DB', '--tz', 'Europe/Berlin', '--team', 'Database');
  };

  it('creates, edits and removes an escalation policy, and shows each step readably', async () => {
    await setUp();
    const steps = ['--step', '0:schedule:DB', '--step', '5:user:ann@example.com', '--step', '10:team:Database'];
    expect(await run('teams', 'policy', 'Database', 'db-esc', ...steps, '--repeat', '2', '--repeat-after', '15')).to.include('3 step(s)');
    let show = await run('teams', 'show', 'Database');
    expect(show).to.include('escalation db-esc (repeated 2 more time(s), 15 min after the last step):');
    expect(show).to.include('  after 0 min: on call of DB\n  after 5 min: ann@example.com\n  after 10 min: the whole team Database');
    // The same name, in any case, edits the policy in place (taking the new spelling): one policy, the new steps.
    await run('teams', 'policy', 'Database', 'DB-ESC', '--step', '0:user:bob@example.com');
    const json = JSON.parse(await run('--json', 'teams', 'show', 'Database'));
    expect(json.policies).to.have.length(1);
    expect(json.policies[0]).to.include({ name: 'DB-ESC', repeat: 0 });
    expect(json.policies[0].steps).to.have.length(1);
    show = await run('teams', 'show', 'Database');
    expect(show).to.include('escalation DB-ESC:\n  after 0 min: bob@example.com');
    expect(await run('teams', 'policy', 'Database', 'db-esc', '--remove')).to.include('removed escalation policy db-esc of Database');
    expect(await run('teams', 'show', 'Database')).to.not.include('escalation');
    const db = await openCliDb(loadConfig({ env }), { create: false });
    try {
      const log = await new AuditRepo(db, Date.now).list({ limit: 3 });
      expect(log.map((e) => e.action)).to.deep.equal(['policy.remove', 'policy.update', 'policy.create']);
      expect(log[1].detail).to.deep.include({ team: 'Database' });
    } finally {
      await db.destroy();
    }
  });

  it("refuses a bad step, an unknown schedule, person or team, and another team's policy, with the exit code scripts check", async () => {
    await setUp();
    expect(await refused('teams', 'policy', 'Database', 'p', '--step', '5:group:ops')).to.deep.equal({
      code: 2,
      error: 'error: --step: "5:group:ops" is not a step such as 0:schedule:DB, 5:user:ann@example.com or 10:team:Database',
    });
    expect(await refused('teams', 'policy', 'Database', 'p')).to.deep.equal({
      code: 2,
      error: 'error: a policy needs at least one --step',
    });
    expect(await refused('teams', 'policy', 'Database', 'p', '--step', '0:schedule:Nope')).to.deep.equal({
      code: 1,
      error: 'error: schedule Nope not found',
    });
    expect((await refused('teams', 'policy', 'Database', 'p', '--step', '0:user:zed@example.com')).error).to.equal(
      'error: person zed@example.com not found',
    );
    expect((await refused('teams', 'policy', 'Database', 'p', '--step', '0:team:Ops')).error).to.equal('error: team Ops not found');
    expect((await refused('teams', 'policy', 'Nope', 'p', '--step', '0:team:Web')).code).to.equal(1);
    expect(await refused('teams', 'policy', 'Database', 'p', '--step', '10:team:Web', '--step', '5:team:Web')).to.deep.equal({
      code: 2,
      error: 'error: steps must be in time order',
    });
    await run('teams', 'policy', 'Web', 'web-esc', '--step', '0:team:Web');
    expect(await refused('teams', 'policy', 'Database', 'web-esc', '--step', '0:team:Database')).to.deep.equal({
      code: 2,
      error: "error: the escalation policy web-esc is not Database's: choose another name",
    });
    expect((await refused('teams', 'policy', 'Database', 'web-esc', '--remove')).code).to.equal(1);
    expect(JSON.parse(await run('--json', 'teams', 'show', 'Web')).policies[0].steps[0].target.kind).to.equal('team');
  });

  it('restricts a rotation to working hours, removes rotations and overrides, and refuses a second schedule of one name', async () => {
    await setUp();
    await run(
      'teams',
      'rotation',
      'DB',
      'day',
      '--people',
      'ann@example.com,bob@example.com',
      '--start',
      '2026-03-02T09:00',
      '--every',
      '1w',
      '--only',
      'Mon-Fri 09:00-18:00',
    );
    await run(
      'teams',
      'rotation',
      'DB',
      'night',
      '--people',
      'bob@example.com',
      '--start',
      '2026-03-02T09:00',
      '--every',
      '1d',
      '--only',
      '22:00-06:00',
      '--only',
      'Sat 10:00-Mon 06:00',
    );
    const s = JSON.parse(await run('--json', 'teams', 'show', 'Database')).schedules[0];
    expect(s.rotations[0].restrictions).to.have.length(5);
    expect(s.rotations[0].restrictions[4]).to.deep.equal({
      kind: 'weekday-and-time-of-day',
      startDay: 5,
      start: '09:00',
      endDay: 5,
      end: '18:00',
    });
    expect(s.rotations[1].restrictions).to.deep.equal([
      { kind: 'time-of-day', start: '22:00', end: '06:00' },
      { kind: 'weekday-and-time-of-day', startDay: 6, start: '10:00', endDay: 1, end: '06:00' },
    ]);
    const show = await run('teams', 'show', 'Database');
    expect(show).to.include('only Mon,Tue,Wed,Thu,Fri 09:00-18:00\n');
    expect(show).to.include('only 22:00-06:00; Sat 10:00-Mon 06:00\n');
    expect(
      await refused(
        'teams',
        'rotation',
        'DB',
        'x',
        '--people',
        'bob@example.com',
        '--start',
        '2026-03-02T09:00',
        '--every',
        '1d',
        '--only',
        'weekdays',
      ),
    ).to.deep.equal({
      code: 2,
      error: 'error: "weekdays" is not a restriction such as "Mon-Fri 09:00-18:00", "22:00-06:00" or "Fri 18:00-Mon 09:00"',
    });
    expect((await refused('teams', 'rotation', 'DB', 'x', '--people', 'bob@example.com')).error).to.equal(
      'error: a new rotation needs --people, --start and --every',
    );
    expect(await run('teams', 'rotation', 'DB', 'NIGHT', '--remove')).to.equal('removed rotation NIGHT from DB\n');
    expect((await refused('teams', 'rotation', 'DB', 'night', '--remove')).code).to.equal(1);
    const from = new Date(Date.now() + 3_600_000).toISOString();
    const to = new Date(Date.now() + 7_200_000).toISOString();
    const o = JSON.parse(await run('--json', 'teams', 'override', 'DB', 'bob@example.com', '--from', from, '--to', to)).override;
    expect(await run('teams', 'override', 'DB', '--remove', o.id)).to.equal(`removed override ${o.id} from DB\n`);
    expect(JSON.parse(await run('--json', 'teams', 'show', 'Database')).schedules[0].overrides).to.deep.equal([]);
    expect(await refused('teams', 'override', 'DB', '--remove', o.id)).to.deep.equal({
      code: 1,
      error: `error: override ${o.id} of DB not found`,
    });
    expect(await refused('teams', 'schedule', 'db', '--tz', 'UTC')).to.deep.equal({
      code: 2,
      error: 'error: a schedule named db already exists (--update changes its time zone)',
    });
    await run('teams', 'schedule', 'db', '--tz', 'America/New_York', '--update');
    const after = JSON.parse(await run('--json', 'teams', 'show', 'Database')).schedules[0];
    expect(after).to.include({ name: 'DB', timeZone: 'America/New_York' });
    expect(after.rotations.map((r: { name: string }) => r.name)).to.deep.equal(['day']);
  });

  it('import opsgenie previews without writing, then writes with --apply', async () => {
    const preview = await run('import', 'opsgenie', 'test/fixtures/opsgenie');
    expect(preview).to.include('not imported (7):');
    expect(preview).to.include('run again with --apply');
    expect(await run('teams', 'list')).to.equal('no teams\n');
    const applied = await run('import', 'opsgenie', 'test/fixtures/opsgenie', '--apply');
    expect(applied).to.include('imported: 3 people, 2 teams, 2 schedules, 3 rotations');
    expect(await run('teams', 'list')).to.equal('Database\nWeb\n');
  });

  it('reads times in the schedule zone and lengths as 12h/1d/1w; refuses the rest', () => {
    expect(parseWhen('2026-03-29T09:00', 'Europe/Berlin', '--start')).to.equal(Date.parse('2026-03-29T07:00:00Z'));
    expect(parseWhen('2026-03-29T09:00Z', 'Europe/Berlin', '--start')).to.equal(Date.parse('2026-03-29T09:00:00Z'));
    expect(parseEvery('12h')).to.deep.equal({ length: 12, unit: 'hours' });
    expect(parseEvery('1w')).to.deep.equal({ length: 1, unit: 'weeks' });
    expect(() => parseEvery('1 month')).to.throw(/not a length/);
    expect(() => parseWhen('tomorrow', 'UTC', '--from')).to.throw(/not a date-time/);
  });

  it('reads steps as minutes:kind:name and counts as whole numbers', () => {
    expect(parseStep(' 5 : user : ann@example.com ')).to.deep.equal({
      afterMinutes: 5,
      target: { kind: 'user', email: 'ann@example.com' },
    });
    expect(parseStep('0:schedule:DB: night')).to.deep.equal({ afterMinutes: 0, target: { kind: 'schedule', name: 'DB: night' } });
    expect(() => parseStep('five:user:ann@example.com')).to.throw(/not a step/);
    expect(() => parseStep('5:user:')).to.throw(/not a step/);
    expect(parseCount('3', '--repeat')).to.equal(3);
    expect(() => parseCount('-1', '--repeat')).to.throw('--repeat: "-1" is not a whole number');
  });
});
