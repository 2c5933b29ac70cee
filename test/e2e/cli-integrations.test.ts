/** At the command line: `integrations add` prints the key once; `list` masks it; `revoke` ends it. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../helpers/cli';
import { openDb } from '../../src/db/knex';
import { loadConfig } from '../../src/config';
import { IntegrationsService } from '../../src/alerts/integrations';
import { AuditRepo } from '../../src/audit';

describe('dozvon integrations add / list / revoke', function () {
  this.timeout(30000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-int-cli-'));
    env = { DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`, DOZVON_TTS: 'none', DOZVON_PUBLIC_URL: 'https://dozvon.example/' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => runCliCaptured(args, env);

  async function verify(key: string) {
    const db = openDb(loadConfig({ env }).db);
    try {
      return await new IntegrationsService(db, new AuditRepo(db, Date.now), Date.now).verify([key]);
    } finally {
      await db.destroy();
    }
  }

  it('add prints the key once with the URL; list shows only its hint and the routes; the key works until revoked', async () => {
    const add = await run([
      '--create',
      '--json',
      'integrations',
      'add',
      'prometheus',
      '--team',
      'dba',
      '--route',
      'tag:net=network',
      '--route',
      'priority:P1=sre',
    ]);
    expect(add.code, add.stderr).to.equal(0);
    const out = JSON.parse(add.stdout) as { key: string; url: string; integration: { defaultTeam: string; rules: unknown[] } };
    expect(out.url).to.equal('https://dozvon.example/v2/alerts');
    expect(out.integration.defaultTeam).to.equal('dba');
    expect(out.integration.rules).to.deep.equal([
      { field: 'tag', equals: 'net', team: 'network' },
      { field: 'priority', equals: 'P1', team: 'sre' },
    ]);
    expect((await verify(out.key))?.name).to.equal('prometheus');

    const list = await run(['integrations', 'list']);
    expect(list.code).to.equal(0);
    expect(list.stdout)
      .to.include('prometheus')
      .and.include(`…${out.key.slice(-4)}`)
      .and.include('tag:net=network');
    expect(list.stdout).to.not.include(out.key);
    expect((await run(['--json', 'integrations', 'list'])).stdout).to.not.include(out.key);

    expect((await run(['integrations', 'add', 'prometheus'])).code, 'a second one by the same name').to.equal(1);
    const revoke = await run(['integrations', 'revoke', 'prometheus']);
    expect(revoke.code).to.equal(0);
    expect(await verify(out.key)).to.equal(null);
    expect((await run(['integrations', 'revoke', 'prometheus'])).code).to.equal(1);
    expect((await run(['integrations', 'list'])).stdout).to.include('revoked');
  });

  it('refuses a route that is not tag:, priority: or source: with exit 2', async () => {
    const r = await run(['--create', 'integrations', 'add', 'x', '--route', 'label:a=b']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--route label:a=b');
  });
});
