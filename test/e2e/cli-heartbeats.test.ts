/** At the command line: `heartbeats add` refuses to page no one; `heartbeats remove`. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../helpers/cli';
import { openDb } from '../../src/db/knex';
import { HeartbeatsRepo, HeartbeatService } from '../../src/watchers/heartbeats';
import { SystemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';

describe('dozvon heartbeats add / remove', function () {
  this.timeout(30000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-hb-cli-'));
    env = { DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`, DOZVON_TTS: 'none' };
    expect((await run(['users', 'add', '--email', 'ops@example.com', '--name', 'Ops', '--phone', '+15550001111'])).code).to.equal(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], e = env) => runCliCaptured(args, e);
  const names = async (e = env) =>
    (JSON.parse((await run(['--json', 'heartbeats', 'list'], e)).stdout) as { results: { name: string }[] }).results.map((h) => h.name);

  it('refuses people who are not in the directory, naming them, with exit 2; nothing is stored', async () => {
    const r = await run(['heartbeats', 'add', 'backup', '--every', '1h', '--page', 'ops@example.com,nobody@example.com']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('nobody@example.com').and.include('not in the directory').and.not.include('ops@example.com,');
    expect(await names()).to.deep.equal([]);
  });

  it('refuses a heartbeat with no page list and no default (exit 2); accepts it once heartbeats.page names someone known', async () => {
    const none = await run(['heartbeats', 'add', 'backup', '--every', '1h']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/would page no one/);
    const file = join(dir, 'dozvon.yaml');
    writeFileSync(file, 'heartbeats:\n  page: [ops@example.com]\n');
    const withDefault = await run(['heartbeats', 'add', 'backup', '--every', '1h'], { ...env, DOZVON_CONFIG: file });
    expect(withDefault.code, withDefault.stderr).to.equal(0);
    expect(withDefault.stdout).to.include('the default list');
  });

  it('remove deletes a heartbeat (exit 0), says so for an unknown name (exit 1) and refuses a declared one (exit 2)', async () => {
    expect((await run(['heartbeats', 'add', 'backup', '--every', '1h', '--page', 'ops@example.com'])).code).to.equal(0);
    const removed = await run(['heartbeats', 'remove', 'backup']);
    expect(removed.code, removed.stderr).to.equal(0);
    expect(removed.stdout).to.include('removed heartbeat backup');
    expect(await names()).to.deep.equal([]);
    const again = await run(['heartbeats', 'remove', 'backup']);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('no heartbeat named backup');
    const file = join(dir, 'dozvon.yaml');
    writeFileSync(file, 'heartbeats:\n  declare:\n    - { name: nightly, every: 1d, page: [ops@example.com] }\n');
    const declared = await run(['heartbeats', 'remove', 'nightly'], { ...env, DOZVON_CONFIG: file });
    expect(declared.code).to.equal(2);
    expect(declared.stderr).to.include('heartbeats.declare');
  });

  it('pause and resume go through the state machine (the history records them); unknown name exit 1', async () => {
    expect((await run(['heartbeats', 'add', 'backup', '--every', '1h', '--page', 'ops@example.com'])).code).to.equal(0);
    const state = async () =>
      (
        JSON.parse((await run(['--json', 'heartbeats', 'list'])).stdout) as {
          results: { name: string; state: string; dueAt: number | null }[];
        }
      ).results[0];
    const paused = await run(['heartbeats', 'pause', 'backup']);
    expect(paused.code, paused.stderr).to.equal(0);
    expect(paused.stdout).to.include('paused heartbeat backup');
    expect(await state()).to.include({ state: 'paused', dueAt: null });
    expect((await run(['heartbeats', 'pause', 'backup'])).stdout).to.include('already paused');
    const resumed = await run(['heartbeats', 'resume', 'backup']);
    expect(resumed.code, resumed.stderr).to.equal(0);
    // Never pinged: back to waiting for its first ping, as the machine says.
    expect(await state()).to.include({ state: 'new', dueAt: null });
    const db = openDb({ client: 'sqlite', filename: join(dir, 'd.sqlite') });
    try {
      // Once pinged, a resume starts a fresh window from now.
      const repo = new HeartbeatsRepo(db);
      const hb = (await repo.get('backup'))!;
      await new HeartbeatService({ repo, clock: new SystemClock(), logger: silentLogger(), pager: { page: async () => undefined } }).ping(
        'backup',
      );
      expect((await run(['heartbeats', 'pause', 'backup'])).code).to.equal(0);
      const before = Date.now();
      expect((await run(['heartbeats', 'resume', 'backup'])).code).to.equal(0);
      const after = await state();
      expect(after.state).to.equal('up');
      expect(after.dueAt).to.be.at.least(before + 3600_000 - 1000);
      const events = (await repo.events(hb.id, 20)).map((e) => e.detail);
      expect(events).to.include('up → paused: paused').and.include('paused → up: resumed');
    } finally {
      await db.destroy();
    }
    expect((await run(['heartbeats', 'pause', 'ghost'])).code).to.equal(1);
  });

  it('add, pause, resume and remove are written to the audit log with the account that ran them', async () => {
    expect((await run(['heartbeats', 'add', 'backup', '--every', '1h', '--page', 'ops@example.com'])).code).to.equal(0);
    expect((await run(['heartbeats', 'pause', 'backup'])).code).to.equal(0);
    expect((await run(['heartbeats', 'resume', 'backup'])).code).to.equal(0);
    expect((await run(['heartbeats', 'remove', 'backup'])).code).to.equal(0);
    const db = openDb({ client: 'sqlite', filename: join(dir, 'd.sqlite') });
    try {
      const rows = (await db('audit_log').where({ target: 'backup' }).orderBy('id')) as {
        action: string;
        actor: string;
        detail: string | null;
      }[];
      expect(rows.map((r) => r.action)).to.deep.equal(['heartbeat.create', 'heartbeat.pause', 'heartbeat.resume', 'heartbeat.remove']);
      expect(rows[0].actor).to.match(/^cli \(.+@.+\)$/);
      expect(JSON.parse(rows[0].detail as string)).to.deep.include({ period_s: 3600, page: ['ops@example.com'] });
    } finally {
      await db.destroy();
    }
  });

  it('users add, set, import and remove are audited too; the PIN only as "set", the phone masked', async () => {
    expect((await run(['users', 'set', 'ops@example.com', '--pin', '2468'])).code).to.equal(0);
    const file = join(dir, 'team.yaml');
    writeFileSync(file, '- { email: dev@example.com, name: Dev, phone: "+15550002222" }\n');
    expect((await run(['users', 'import', file])).code).to.equal(0);
    expect((await run(['users', 'remove', 'dev@example.com'])).code).to.equal(0);
    const db = openDb({ client: 'sqlite', filename: join(dir, 'd.sqlite') });
    try {
      const rows = (await db('audit_log').orderBy('id')) as { action: string; target: string; detail: string | null }[];
      expect(rows.map((r) => `${r.action} ${r.target}`)).to.deep.equal([
        'user.create ops@example.com',
        'user.update ops@example.com',
        `user.import ${file}`,
        'user.remove dev@example.com',
      ]);
      expect(JSON.parse(rows[1].detail as string)).to.deep.equal({ pin: 'set' });
      expect(JSON.parse(rows[2].detail as string)).to.deep.include({
        format: 'yaml',
        created: 1,
        emails: { created: ['dev@example.com'], updated: [] },
      });
      expect(JSON.stringify(rows)).not.to.include('2468').and.not.include('+15550001111');
    } finally {
      await db.destroy();
    }
  });
});
