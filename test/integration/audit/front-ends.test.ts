/**
 * Every front-end that changes people or heartbeats (admin API, console, CLI, Opsgenie heartbeat
 * API) goes through the same domain services, so each change is in the audit log under that
 * front-end's actor, and a change whose audit entry cannot be written is not made at all.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startApp, RunningApp, ADMIN_TOKEN } from '../../helpers/app';
import { ConsoleClient } from '../console/harness';
import { runCli } from '../../../src/cli/program';

const KEY = 'front-ends-heartbeat-key-0123456789';

interface Row {
  actor: string;
  action: string;
  target: string;
  detail: string | null;
}

function sink(): { stream: Writable; text: () => string } {
  let buf = '';
  return { stream: new Writable({ write: (c, _e, cb) => ((buf += c.toString()), cb()) }), text: () => buf };
}

describe('changes from every front-end are audited with the change, or not made', function () {
  this.timeout(60_000);
  let app: RunningApp;
  let c: ConsoleClient;

  beforeEach(async () => {
    app = await startApp({ DOZVON_HEARTBEAT_KEYS: KEY });
    await app.app.users.create({ email: 'ops@example.com', name: 'Ops', phone: '+15550001111' }, { lang: 'en' });
    c = await ConsoleClient.signIn(app.url);
  });
  afterEach(async () => app?.close());

  const cli = async (args: string[]) => {
    const out = sink();
    const err = sink();
    const code = await runCli(args, {
      env: { DOZVON_DB: `sqlite:${join(app.dir, 'dozvon.sqlite')}`, DOZVON_TTS: 'none' },
      stdout: out.stream,
      stderr: err.stream,
    });
    return { code, stderr: err.text() };
  };
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${app.url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  const opsgenie = (method: string, path: string, body?: unknown) =>
    fetch(`${app.url}/v2/heartbeats${path}`, {
      method,
      headers: { authorization: `GenieKey ${KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  const log = async (): Promise<Row[]> => (await app.app.db('audit_log').orderBy('id')) as Row[];
  const entry = async (action: string, target: string): Promise<Row> => {
    const found = (await log()).filter((r) => r.action === action && r.target === target);
    expect(found, `${action} ${target}`).to.have.length(1);
    return found[0];
  };
  /** The audit table refuses every write from now on, as a full disk or a broken migration would. */
  const breakAudit = () =>
    app.app.db.raw("CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log refused'); END");

  it('names the admin API, the console, the CLI and the Opsgenie API as the actors of their changes', async () => {
    expect((await admin('POST', '/users', { email: 'api@example.com', name: 'Api', phone: '+15550002222' })).status).to.equal(201);
    expect((await admin('PATCH', '/users/api@example.com', { name: 'Api Two' })).status).to.equal(200);
    expect((await admin('DELETE', '/users/api@example.com')).status).to.equal(204);
    for (const action of ['user.create', 'user.update', 'user.remove'])
      expect((await entry(action, 'api@example.com')).actor, action).to.match(/^admin API \(/);

    expect(
      (
        await c.post('/console/people/new', {
          email: 'con@example.com',
          name: 'Con',
          phone: '+15550003333',
          lang: 'en',
          channels: ['voice'],
        })
      ).status,
    ).to.equal(303);
    expect((await c.post('/console/people/con@example.com/remove', {})).status).to.equal(303);
    expect(
      (
        await c.post('/console/heartbeats/new', {
          name: 'console-hb',
          kind: 'healthchecks',
          every: '5m',
          grace: '1m',
          page: 'ops@example.com',
        })
      ).status,
    ).to.equal(303);
    expect((await c.post('/console/heartbeats/console-hb/pause', {})).status).to.equal(303);
    for (const [action, target] of [
      ['user.create', 'con@example.com'],
      ['user.remove', 'con@example.com'],
      ['heartbeat.create', 'console-hb'],
      ['heartbeat.pause', 'console-hb'],
    ]) {
      expect((await entry(action, target)).actor, action).to.match(/^console \(session /);
    }

    const added = await cli(['users', 'add', '--email', 'cli@example.com', '--name', 'Cli', '--phone', '+15550004444']);
    expect(added.code, added.stderr).to.equal(0);
    const hb = await cli(['heartbeats', 'add', 'cli-hb', '--every', '1h', '--page', 'ops@example.com']);
    expect(hb.code, hb.stderr).to.equal(0);
    expect((await cli(['heartbeats', 'remove', 'cli-hb'])).code).to.equal(0);
    for (const [action, target] of [
      ['user.create', 'cli@example.com'],
      ['heartbeat.create', 'cli-hb'],
      ['heartbeat.remove', 'cli-hb'],
    ]) {
      expect((await entry(action, target)).actor, action).to.match(/^cli \(.+@.+\)$/);
    }

    expect(
      (await opsgenie('POST', '', { name: 'og-hb', interval: 10, intervalUnit: 'minutes', enabled: true, page: ['ops@example.com'] }))
        .status,
    ).to.equal(201);
    expect((await opsgenie('POST', '/og-hb/disable', {})).status).to.equal(200);
    expect((await opsgenie('PATCH', '/og-hb', { interval: 20 })).status).to.equal(200);
    for (const action of ['heartbeat.create', 'heartbeat.pause', 'heartbeat.update'])
      expect((await entry(action, 'og-hb')).actor, action).to.match(/^Opsgenie heartbeat API \(/);
    // Whoever makes it, a change is described the same way.
    expect(JSON.parse((await entry('heartbeat.update', 'og-hb')).detail!)).to.deep.equal({
      every: { from: '10m', to: '20m' },
      options: { from: { interval: 10, intervalUnit: 'minutes' }, to: { interval: 20, intervalUnit: 'minutes' } },
    });
  });

  it('a change whose audit entry cannot be written is rolled back, from every front-end', async () => {
    expect(
      (await opsgenie('POST', '', { name: 'kept', interval: 10, intervalUnit: 'minutes', enabled: true, page: ['ops@example.com'] }))
        .status,
    ).to.equal(201);
    const before = (await app.app.heartbeats.get('kept'))!;
    await breakAudit();

    expect((await admin('POST', '/users', { email: 'api@example.com', name: 'Api', phone: '+15550002222' })).status).to.equal(500);
    expect((await admin('PATCH', '/users/ops@example.com', { name: 'Renamed' })).status).to.equal(500);
    expect((await admin('DELETE', '/users/ops@example.com')).status).to.equal(500);
    expect(await app.app.users.getByEmail('api@example.com')).to.equal(null);
    expect((await app.app.users.getByEmail('ops@example.com'))!.name).to.equal('Ops');

    expect(
      (
        await c.post('/console/people/new', {
          email: 'con@example.com',
          name: 'Con',
          phone: '+15550003333',
          lang: 'en',
          channels: ['voice'],
        })
      ).status,
    ).to.equal(500);
    expect(
      (
        await c.post('/console/people/import', {
          text: '- { email: imp@example.com, name: Imp, phone: "+15550005555" }\n- { email: ops@example.com, name: Ops Renamed }\n',
          step: 'apply',
        })
      ).status,
    ).to.equal(500);
    expect(
      (
        await c.post('/console/heartbeats/new', {
          name: 'console-hb',
          kind: 'healthchecks',
          every: '5m',
          grace: '1m',
          page: 'ops@example.com',
        })
      ).status,
    ).to.equal(500);
    expect((await c.post('/console/heartbeats/kept/pause', {})).status).to.equal(500);
    expect((await c.post('/console/heartbeats/kept/remove', {})).status).to.equal(500);
    for (const email of ['con@example.com', 'imp@example.com']) expect(await app.app.users.getByEmail(email), email).to.equal(null);
    expect((await app.app.users.getByEmail('ops@example.com'))!.name, 'import is all or nothing').to.equal('Ops');
    expect(await app.app.heartbeats.get('console-hb')).to.equal(null);

    expect((await cli(['users', 'add', '--email', 'cli@example.com', '--name', 'Cli', '--phone', '+15550004444'])).code).to.not.equal(0);
    expect((await cli(['heartbeats', 'pause', 'kept'])).code).to.not.equal(0);
    expect(await app.app.users.getByEmail('cli@example.com')).to.equal(null);

    expect(
      (await opsgenie('POST', '', { name: 'og-hb', interval: 10, intervalUnit: 'minutes', enabled: true, page: ['ops@example.com'] }))
        .status,
    ).to.equal(500);
    expect((await opsgenie('POST', '/kept/disable', {})).status).to.equal(500);
    expect((await opsgenie('DELETE', '/kept')).status).to.equal(500);
    expect(await app.app.heartbeats.get('og-hb')).to.equal(null);

    const after = (await app.app.heartbeats.get('kept'))!;
    expect(after).to.deep.include({ state: before.state, enabled: true, periodS: before.periodS });
    expect(await log()).to.have.length(1);
  });
});
