import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess } from '../helpers/spawn';

describe('dozvon CLI', function () {
  this.timeout(60000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-cli-'));
    env = { DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`, DOZVON_ADMIN_TOKEN: 'super-secret-admin', DOZVON_CLOUD_TOKENS: 'tok-aaaaaaaaaaaaaaaa,tok-bbbbbbbbbbbbbbbb' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('config prints every setting with secrets masked; --json is machine-readable', async () => {
    const r = await runCliProcess(['--json', 'config'], env);
    expect(r.code, r.stderr).to.equal(0);
    const cfg = JSON.parse(r.stdout) as Record<string, { value: string; source: string }>;
    expect(cfg.DOZVON_ADMIN_TOKEN.value).to.not.include('super-secret-admin');
    expect(cfg.DOZVON_ADMIN_TOKEN.source).to.equal('env');
    expect(cfg.DOZVON_LISTEN).to.deep.equal({ value: '127.0.0.1:8080', source: 'default' });
    expect(r.stdout).to.not.include('tok-aaaaaaaaaaaaaaaa');
  });

  it('a bad value stops with exit 78 and a message naming the variable', async () => {
    const r = await runCliProcess(['config'], { ...env, DOZVON_LISTEN: 'nowhere' });
    expect(r.code).to.equal(78);
    expect(r.stderr).to.include('DOZVON_LISTEN');
    const typo = await runCliProcess(['config'], { ...env, DOZVON_LISTN: 'x' });
    expect(typo.code).to.equal(78);
    expect(typo.stderr).to.include('DOZVON_LISTN');
  });

  it('reads settings from the YAML file named by DOZVON_CONFIG, environment wins', async () => {
    const file = join(dir, 'dozvon.yaml');
    writeFileSync(file, 'DOZVON_LANG: ru\nDOZVON_CALLER_ID: Paging\n');
    const r = await runCliProcess(['--json', 'config'], { ...env, DOZVON_CONFIG: file, DOZVON_CALLER_ID: 'FromEnv' });
    const cfg = JSON.parse(r.stdout) as Record<string, { value: string; source: string }>;
    expect(cfg.DOZVON_LANG).to.deep.equal({ value: 'ru', source: 'file' });
    expect(cfg.DOZVON_CALLER_ID).to.deep.equal({ value: 'FromEnv', source: 'env' });
  });

  it('users add / list / remove with exit codes; bad input is exit 2', async () => {
    expect((await runCliProcess(['users', 'add', '--email', 'a@x.io', '--name', 'A', '--phone', '+15550001111', '--pin', '1234'], env)).code).to.equal(0);
    const dup = await runCliProcess(['users', 'add', '--email', 'A@X.io', '--name', 'A'], env);
    expect(dup.code).to.equal(1);
    expect(dup.stderr).to.include('already exists');
    const bad = await runCliProcess(['users', 'add', '--email', 'b@x.io', '--name', 'B', '--phone', 'PJSIP/1&evil'], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('phone');
    const list = await runCliProcess(['--json', 'users', 'list'], env);
    const body = JSON.parse(list.stdout) as { count: number; results: { phone: string }[] };
    expect(body.count).to.equal(1);
    expect(body.results[0].phone).to.not.equal('+15550001111');
    expect((await runCliProcess(['users', 'remove', 'a@x.io'], env)).code).to.equal(0);
    expect((await runCliProcess(['users', 'remove', 'a@x.io'], env)).code).to.equal(1);
    expect((await runCliProcess(['users', 'frobnicate'], env)).code).to.equal(2);
  });

  it('users import validates the whole file first, then adds and updates', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'users:\n  - {email: ok@x.io, name: Ok}\n  - {email: broken, name: B}\n');
    const r1 = await runCliProcess(['users', 'import', bad], env);
    expect(r1.code).to.equal(2);
    expect(r1.stderr).to.include('entry 2');
    expect(JSON.parse((await runCliProcess(['--json', 'users', 'list'], env)).stdout).count).to.equal(0);
    const good = join(dir, 'team.yaml');
    writeFileSync(good, '- {email: a@x.io, name: A, phone: "+15550001111", lang: ru, channels: [voice, sms]}\n- {email: b@x.io, name: B, pin: "9876"}\n');
    const r2 = await runCliProcess(['--json', 'users', 'import', good], env);
    expect(JSON.parse(r2.stdout)).to.deep.equal({ imported: 2, created: 2, updated: 0 });
    writeFileSync(good, '- {email: A@X.io, name: A Renamed}\n');
    const r3 = await runCliProcess(['--json', 'users', 'import', good], env);
    expect(JSON.parse(r3.stdout)).to.deep.equal({ imported: 1, created: 0, updated: 1 });
  });
});
