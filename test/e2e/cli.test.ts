import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess, spawnServe } from '../helpers/spawn';
import { openDb } from '../../src/db/knex';
import { UsersRepo } from '../../src/directory/users-repo';
import { verifyPin } from '../../src/directory/pin';

describe('dozvon CLI', function () {
  this.timeout(60000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-cli-'));
    env = {
      DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`,
      DOZVON_ADMIN_TOKEN: 'super-secret-admin',
      DOZVON_CLOUD_TOKENS: 'tok-aaaaaaaaaaaaaaaa,tok-bbbbbbbbbbbbbbbb',
    };
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
    expect(
      (
        await runCliProcess(
          ['users', 'add', '--email', 'a@x.io', '--name', 'A', '--phone', '+15550001111', '--pin', '1234', '--create'],
          env,
        )
      ).code,
    ).to.equal(0);
    // A duplicate is bad input, as the README promises: exit 2.
    const dup = await runCliProcess(['users', 'add', '--email', 'A@X.io', '--name', 'A', '--phone', '+15550002222'], env);
    expect(dup.code).to.equal(2);
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
    const r1 = await runCliProcess(['users', 'import', bad, '--create'], env);
    expect(r1.code).to.equal(2);
    expect(r1.stderr).to.include('entry 2');
    expect(JSON.parse((await runCliProcess(['--json', 'users', 'list'], env)).stdout).count).to.equal(0);
    const good = join(dir, 'team.yaml');
    writeFileSync(
      good,
      '- {email: a@x.io, name: A, phone: "+15550001111", lang: ru, channels: [voice, sms]}\n- {email: b@x.io, name: B, pin: "9876", contacts: {fcm_device: dev-b}}\n',
    );
    const r2 = await runCliProcess(['--json', 'users', 'import', good], env);
    expect(JSON.parse(r2.stdout)).to.deep.equal({ imported: 2, created: 2, updated: 0 });
    writeFileSync(good, '- {email: A@X.io, name: A Renamed}\n');
    const r3 = await runCliProcess(['--json', 'users', 'import', good], env);
    expect(JSON.parse(r3.stdout)).to.deep.equal({ imported: 1, created: 0, updated: 1 });
  });

  it('refuses to create a new database unless asked, naming the file it looked for (exit 78)', async () => {
    const file = join(dir, 'd.sqlite');
    for (const args of [
      ['users', 'add', '--email', 'a@x.io', '--name', 'A', '--phone', '+15550001111'],
      ['heartbeats', 'list'],
      ['check'],
    ]) {
      const r = await runCliProcess(args, env);
      expect(r.code, args.join(' ')).to.equal(78);
      expect(r.stderr).to.include(file).and.include('--create');
      expect(existsSync(file), args.join(' ')).to.equal(false);
    }
    const created = await runCliProcess(['users', 'list', '--create'], env);
    expect(created.code, created.stderr).to.equal(0);
    expect(existsSync(file)).to.equal(true);
    expect((await runCliProcess(['heartbeats', 'list'], env)).stdout).to.include('no heartbeats');
    // migrate may always create it.
    const other = { ...env, DOZVON_DB: `sqlite:${join(dir, 'other.sqlite')}` };
    expect((await runCliProcess(['migrate'], other)).code).to.equal(0);
    expect((await runCliProcess(['users', 'list'], other)).code).to.equal(0);
  });

  it('users add takes --phone more than once, in dialling order, with optional labels; set replaces the list', async () => {
    const add = await runCliProcess(
      [
        '--json',
        'users',
        'add',
        '--email',
        'm@x.io',
        '--name',
        'M',
        '--phone',
        'mobile=+15550001111',
        '--phone',
        '+15550002222',
        '--create',
      ],
      env,
    );
    expect(add.code, add.stderr).to.equal(0);
    expect(JSON.parse(add.stdout).phones).to.deep.equal([
      { number: '+1555*****11', label: 'mobile', verified: true },
      { number: '+1555*****22', label: null, verified: true },
    ]);
    const set = await runCliProcess(['--json', 'users', 'set', 'm@x.io', '--phone', '+15550003333'], env);
    expect(set.code, set.stderr).to.equal(0);
    expect(JSON.parse(set.stdout).phones).to.deep.equal([{ number: '+1555*****33', label: null, verified: true }]);
    const twice = await runCliProcess(['users', 'set', 'm@x.io', '--phone', '+15550003333', '--phone', '+1 555 000 3333'], env);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.match(/listed twice/);
  });

  it('users add without a phone or a contact is refused (exit 2); a push-only person gives --contact', async () => {
    const none = await runCliProcess(['users', 'add', '--email', 'p@x.io', '--name', 'P', '--create'], env);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('no phone and no contact');
    const push = await runCliProcess(
      ['--json', 'users', 'add', '--email', 'p@x.io', '--name', 'P', '--channels', 'push', '--contact', 'fcm_device=dev-1'],
      env,
    );
    expect(push.code, push.stderr).to.equal(0);
    expect(JSON.parse(push.stdout).contacts).to.deep.equal({ fcm_device: 'dev-1' });
    expect((await runCliProcess(['users', 'add', '--email', 'q@x.io', '--name', 'Q', '--contact', 'oops'], env)).code).to.equal(2);
  });

  it('users set changes only what is given; unknown person exit 1, bad value or nothing to change exit 2', async () => {
    expect(
      (await runCliProcess(['users', 'add', '--email', 'a@x.io', '--name', 'A', '--phone', '+15550001111', '--create'], env)).code,
    ).to.equal(0);
    const set = await runCliProcess(
      [
        '--json',
        'users',
        'set',
        'A@x.io',
        '--name',
        'Alice',
        '--phone',
        '+15550002222',
        '--lang',
        'ru',
        '--pin',
        '0123',
        '--channels',
        'sms,voice',
      ],
      env,
    );
    expect(set.code, set.stderr).to.equal(0);
    const u = JSON.parse(set.stdout);
    expect(u).to.include({ email: 'a@x.io', name: 'Alice', lang: 'ru', has_pin: true });
    expect(u.channels).to.deep.equal(['sms', 'voice']);
    expect(u.phone).to.not.equal('+15550001111').and.match(/2222$/);
    expect((await runCliProcess(['users', 'set', 'ghost@x.io', '--name', 'G'], env)).code).to.equal(1);
    expect((await runCliProcess(['users', 'set', 'a@x.io'], env)).code).to.equal(2);
    const bad = await runCliProcess(['users', 'set', 'a@x.io', '--pin', '12'], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('PIN');
  });

  it('users import takes YAML numbers as phones and keeps PINs as written', async () => {
    const file = join(dir, 'team.yaml');
    writeFileSync(file, '- {email: a@x.io, name: A, phone: 1234, pin: 0123}\n- {email: b@x.io, name: B, phone: +15550001111, pin: 2468}\n');
    const r = await runCliProcess(['--json', 'users', 'import', file, '--create'], env);
    expect(r.code, r.stderr).to.equal(0);
    const hotline = await runCliProcess(['users', 'list'], env);
    expect(hotline.stdout).to.include('a@x.io').and.include('b@x.io');
    // The PIN kept its leading zero: the stored hash matches "0123", not "123".
    const db = openDb({ client: 'sqlite', filename: join(dir, 'd.sqlite') });
    try {
      const repo = new UsersRepo(db);
      expect((await repo.getByEmail('a@x.io'))!.phone).to.equal('1234');
      expect((await repo.getByEmail('b@x.io'))!.phone).to.equal('+15550001111');
      const a = (await repo.getByEmail('a@x.io'))!;
      expect(await verifyPin('0123', (await repo.secrets(a.id)).pinHash)).to.equal(true);
    } finally {
      await db.destroy();
    }
    writeFileSync(file, '- {email: c@x.io, name: C, phone: 1235, pin: 012}\n');
    const short = await runCliProcess(['users', 'import', file], env);
    expect(short.code).to.equal(2);
    expect(short.stderr).to.include('write it in quotes');
  });

  it('serve warns at start when the public URL is 0.0.0.0', async () => {
    const served = await spawnServe({ ...env, DOZVON_PUBLIC_URL: 'http://0.0.0.0:8080/', DOZVON_TTS: 'none' });
    try {
      expect(served.output()).to.match(/"level":"warn".*DOZVON_PUBLIC_URL is http:\/\/0\.0\.0\.0:8080\//);
    } finally {
      served.child.kill('SIGTERM');
      await new Promise((r) => served.child.once('exit', r));
    }
  });
});
