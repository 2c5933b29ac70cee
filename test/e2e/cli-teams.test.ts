/**
 * The teams commands as an operator types them: build a team with a rotation, take over tonight,
 * ask who is on call; and the Opsgenie import previews first, writes only with --apply.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../helpers/cli';
import { parseEvery, parseWhen } from '../../src/cli/teams';

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
});
