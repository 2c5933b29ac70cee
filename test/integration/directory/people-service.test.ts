/**
 * People: a change to the directory and its audit entry commit together. An entry that cannot be
 * written undoes the change, and an import is all or nothing.
 */
import { BreakableAudit } from '../../helpers/breakable-audit';
import { refusal } from '../../helpers/rejection';
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../../helpers/db';
import { AuditRepo } from '../../../src/audit';
import { UsersRepo } from '../../../src/directory/users-repo';
import { People } from '../../../src/directory/people-service';
import { planImport, readImportList, validateImport } from '../../../src/directory/import';
import { hashPin, verifyPin } from '../../../src/directory/pin';

describe('People (SQLite)', () => {
  let t: TestDb;
  let users: UsersRepo;
  let audit: BreakableAudit;
  let people: People;

  beforeEach(async () => {
    t = await makeTestDb();
    users = new UsersRepo(t.db);
    audit = new BreakableAudit(new AuditRepo(t.db, Date.now));
    people = new People({ db: t.db, audit, defaultLang: 'ru' });
    await people.create('cli (root@ops-1)', { email: 'ops@example.com', name: 'Ops', phone: '+15550001111', pin: '2468' });
  });
  afterEach(async () => t.close());

  const plan = async (yaml: string) => {
    const { valid, problems } = validateImport(readImportList(yaml, 'team.yaml', 'yaml'));
    expect(problems).to.deep.equal([]);
    return (await planImport(users, valid)).entries;
  };

  it('audits each change with its actor, secrets masked; people added without a language get the default', async () => {
    await people.update('admin API (127.0.0.1)', 'ops@example.com', { name: 'Ops Team' });
    await people.import('console (session ab12cd, 127.0.0.1)', {
      source: 'directory',
      format: 'yaml',
      entries: await plan('- { email: dev@example.com, name: Dev, phone: "+15550002222" }\n'),
    });
    expect(await people.remove('cli (root@ops-1)', 'dev@example.com')).to.equal(true);
    expect(await people.remove('cli (root@ops-1)', 'dev@example.com')).to.equal(false);
    const log = (await audit.list()).reverse().map((e) => [e.actor, e.action, e.target, e.detail]);
    expect(log).to.deep.equal([
      ['cli (root@ops-1)', 'user.create', 'ops@example.com', { email: 'ops@example.com', name: 'Ops', phone: '+1555*****11', pin: 'set' }],
      ['admin API (127.0.0.1)', 'user.update', 'ops@example.com', { name: 'Ops Team' }],
      [
        'console (session ab12cd, 127.0.0.1)',
        'user.import',
        'directory',
        { format: 'yaml', created: 1, updated: 0, unchanged: 0, emails: { created: ['dev@example.com'], updated: [] } },
      ],
      ['cli (root@ops-1)', 'user.remove', 'dev@example.com', null],
    ]);
    expect((await users.getByEmail('ops@example.com'))!.lang).to.equal('ru');
  });

  it('a change whose audit entry cannot be written is undone', async () => {
    audit.broken = true;
    expect(await refusal(people.create('x', { email: 'new@example.com', name: 'New', phone: '+15550003333' }))).to.equal(
      'audit log refused',
    );
    expect(await refusal(people.update('x', 'ops@example.com', { name: 'Renamed', pin: null }))).to.equal('audit log refused');
    expect(await refusal(people.remove('x', 'ops@example.com'))).to.equal('audit log refused');
    expect(await users.getByEmail('new@example.com')).to.equal(null);
    expect(await users.getByEmail('ops@example.com')).to.include({ name: 'Ops', hasPin: true });
  });

  it('PINs are hashed before the transaction, while the database is free for others', async () => {
    // SQLite has one connection: a hasher that needs it would wait for ever inside the transaction.
    const hashed: string[] = [];
    const hasher = async (pin: string) => {
      await t.db.raw('select 1');
      hashed.push(pin);
      return hashPin(pin);
    };
    people = new People({ db: t.db, audit, defaultLang: 'en', hashPin: hasher });
    await people.create('x', { email: 'new@example.com', name: 'New', phone: '+15550003333', pin: '1357' });
    await people.update('x', 'ops@example.com', { pin: '9753' });
    await people.import('x', {
      source: 'directory',
      format: 'yaml',
      entries: await plan(
        '- { email: a@example.com, name: A, phone: "+15550004444", pin: "1111" }\n- { email: ops@example.com, name: Ops, pin: "9753" }\n',
      ),
      skipUnchanged: true,
    });
    expect(hashed).to.deep.equal(['1357', '9753', '1111']);
    expect(await verifyPin('1111', (await users.secrets((await users.getByEmail('a@example.com'))!.id)).pinHash)).to.equal(true);
    expect(await verifyPin('9753', (await users.secrets((await users.getByEmail('ops@example.com'))!.id)).pinHash)).to.equal(true);
  });

  it('a test send is queued with its audit entry, or not at all', async () => {
    const ops = (await users.getByEmail('ops@example.com'))!;
    const input = {
      kind: 'sms' as const,
      source: 'test-sms',
      userId: ops.id,
      email: ops.email,
      message: 'test',
      correlation: 'none' as const,
    };
    const n = await people.testSend('console (session ab12cd, 127.0.0.1)', input);
    expect((await audit.list({ action: 'user.test-sms' })).map((e) => [e.actor, e.target, e.detail])).to.deep.equal([
      ['console (session ab12cd, 127.0.0.1)', 'ops@example.com', { notification: n.id }],
    ]);
    audit.broken = true;
    expect(await refusal(people.testSend('x', input))).to.equal('audit log refused');
    expect((await t.db('notifications')).map((r: { id: number }) => r.id)).to.deep.equal([n.id]);
  });

  it('an import is all or nothing: one refused write, or its audit entry, leaves the directory as it was', async () => {
    const entries = await plan(
      '- { email: a@example.com, name: A, phone: "+15550004444" }\n- { email: ops@example.com, name: Ops Renamed }\n- { email: b@example.com, name: B, phone: "+15550005555" }\n',
    );
    audit.broken = true;
    expect(await refusal(people.import('x', { source: 'directory', format: 'yaml', entries }))).to.equal('audit log refused');
    audit.broken = false;
    // The last write fails, after a and ops were written.
    await t.db.raw(
      "CREATE TRIGGER no_b BEFORE INSERT ON users WHEN NEW.email_key = 'b@example.com' BEGIN SELECT RAISE(ABORT, 'b refused'); END",
    );
    expect(await refusal(people.import('x', { source: 'directory', format: 'yaml', entries }))).to.include('b refused');
    expect(await users.getByEmail('a@example.com')).to.equal(null);
    expect((await users.getByEmail('ops@example.com'))!.name).to.equal('Ops');
    expect((await audit.list()).map((e) => e.action)).to.deep.equal(['user.create']);
  });
});
