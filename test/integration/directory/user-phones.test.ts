/**
 * Several phones per person: stored in order with their labels and verified marks, found by any
 * of them, kept in step with the single-number columns, filled from those by the migration, and
 * accepted by imports (YAML and CSV) and audited masked.
 */
import { expect } from 'chai';
import { forEachDb, type AnyTestDb } from '../../helpers/pg';
import { allMigrations, migrate } from '../../../src/db/migrations';
import { UsersRepo } from '../../../src/directory/users-repo';
import { People } from '../../../src/directory/people-service';
import { AuditRepo } from '../../../src/audit';
import { planImport, readImportList, validateImport } from '../../../src/directory/import';
import { userCreateSchema, userPatchSchema } from '../../../src/directory/user';
import { hashPin } from '../../../src/directory/pin';
import { CallerDirectory } from '../../../src/hotline/identify';

const MOBILE = '+15550001111';
const DESK = '+15550002222';
const HOME = '+15550003333';

forEachDb('user phones', (make, kind) => {
  let t: AnyTestDb;
  let users: UsersRepo;
  beforeEach(async () => {
    t = await make();
    users = new UsersRepo(t.db);
  });
  afterEach(() => t.close());

  it('keeps the order, labels and marks; users.phone mirrors the first; any number finds the person', async () => {
    const u = await users.create(
      {
        email: 'a@example.com',
        name: 'A',
        phones: [
          { number: MOBILE, label: 'mobile', verified: false },
          { number: DESK, label: 'desk', verified: undefined },
        ],
      },
      { lang: 'en' },
    );
    expect(u.phones).to.deep.equal([
      { number: MOBILE, label: 'mobile', verified: false },
      { number: DESK, label: 'desk', verified: true },
    ]);
    expect([u.phone, u.phoneVerified, u.channels]).to.deep.equal([MOBILE, false, ['voice', 'sms']]);
    expect((await users.getByPhone(DESK))?.email).to.equal('a@example.com');
    expect((await users.getByPhone(MOBILE))?.email).to.equal('a@example.com');
    expect((await users.byPhoneEnding('2222')).map((x) => x.email)).to.deep.equal(['a@example.com']);
    // Reordered: each number keeps its own mark; the new first is mirrored.
    const r = await users.update('a@example.com', userPatchSchema.parse({ phones: [DESK, MOBILE] }));
    expect(r.phones.map((p) => [p.number, p.label, p.verified])).to.deep.equal([
      [DESK, 'desk', true],
      [MOBILE, 'mobile', false],
    ]);
    expect([r.phone, r.phoneVerified]).to.deep.equal([DESK, true]);
    const v = await users.setPhoneVerified(r.id, MOBILE, true);
    expect(v!.phones.map((p) => p.verified)).to.deep.equal([true, true]);
    // The one-phone shorthand replaces the list; null clears it.
    const one = await users.update('a@example.com', { phone: HOME });
    expect(one.phones).to.deep.equal([{ number: HOME, label: null, verified: true }]);
    expect(await users.getByPhone(DESK)).to.equal(null);
    const none = await users.update('a@example.com', { phone: null });
    expect([none.phones, none.phone, none.phoneVerified]).to.deep.equal([[], null, false]);
    expect(await t.db('user_phones').count({ n: '*' }).first()).to.satisfy((x: { n: number | string }) => Number(x.n) === 0);
  });

  it('the hotline knows a caller by any of their phones, and by the last digits of any of them', async () => {
    await users.create(userCreateSchema.parse({ email: 'c@example.com', name: 'C', pin: '2468', phones: [MOBILE, DESK] }), {
      lang: 'en',
      pinHash: await hashPin('2468'),
    });
    const hotline = new CallerDirectory(users);
    expect((await hotline.byNumber('15550002222'))?.email).to.equal('c@example.com');
    expect((await hotline.identify('0002222', '2468'))?.email).to.equal('c@example.com');
  });

  it('a removed person takes their phones along', async () => {
    const u = await users.create(userCreateSchema.parse({ email: 'b@example.com', name: 'B', phones: [MOBILE, DESK] }), { lang: 'en' });
    expect(await users.remove(u.email)).to.equal(true);
    expect(await t.db('user_phones').where({ user_id: u.id })).to.have.length(0);
    expect(await users.getByPhone(DESK)).to.equal(null);
  });

  it(`migration 015 gives every existing person their number as a one-phone list (${kind})`, async () => {
    // A database as it stood before the migration: drop what the migration made and forget it.
    await t.db.schema.dropTable('user_phones');
    await t.db('dozvon_migrations').where({ name: '015_user_phones' }).delete();
    const at = allMigrations().findIndex((m) => m.name === '015_user_phones');
    expect(at).to.be.greaterThan(0);
    const row = (email: string, phone: string | null, verified: boolean) => ({
      public_id: `U${email[0]}`,
      email,
      email_key: email,
      name: email,
      username: email,
      phone,
      phone_verified: verified,
      channels: '["voice"]',
      contacts: '{}',
      created_at: 1,
      updated_at: 1,
    });
    await t.db('users').insert([row('x@example.com', MOBILE, true), row('y@example.com', DESK, false), row('z@example.com', null, false)]);
    expect(await migrate(t.db)).to.deep.equal(['015_user_phones']);
    const [x, y, z] = await Promise.all(['x', 'y', 'z'].map((c) => users.getByEmail(`${c}@example.com`)));
    expect(x!.phones).to.deep.equal([{ number: MOBILE, label: null, verified: true }]);
    expect(y!.phones).to.deep.equal([{ number: DESK, label: null, verified: false }]);
    expect(z!.phones).to.deep.equal([]);
    expect((await users.getByPhone(DESK))?.email).to.equal('y@example.com');
  });
});

describe('user phones: input and imports', () => {
  it('the schema refuses phone and phones together, a number twice, and more than five', () => {
    const base = { email: 'a@example.com', name: 'A' };
    const refused = (x: object) => {
      const r = userCreateSchema.safeParse({ ...base, ...x });
      return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(refused({ phone: MOBILE, phones: [DESK] })).to.match(/either phone or phones/);
    expect(refused({ phones: [MOBILE, '+1 555 000 1111'] })).to.match(/listed twice/);
    expect(refused({ phones: ['+15550000001', '+15550000002', '+15550000003', '+15550000004', '+15550000005', '+15550000006'] })).to.match(
      /at most 5/,
    );
    expect(refused({ phones: [{ number: MOBILE, label: 'mobile', extra: 1 }] })).to.be.a('string');
    expect(refused({ phones: [MOBILE, { number: DESK, label: 'desk' }] })).to.equal(null);
  });

  it('YAML keeps the + of every listed number; CSV reads a phones column of LABEL=NUMBER items', () => {
    const yaml = readImportList(
      `- email: a@example.com\n  name: A\n  phones: [+15550001111, {number: +15550002222, label: desk}]\n`,
      'team.yaml',
      'yaml',
    );
    const csv = readImportList(`email,name,phones\nb@example.com,B,"mobile=+15550001111; +15550002222"\n`, 'team.csv', 'csv');
    const { valid, problems } = validateImport({ list: [...yaml.list, ...csv.list], plain: [] });
    expect(problems).to.deep.equal([]);
    expect(valid.map((v) => v.input.phones!.map((p) => [p.number, p.label ?? null]))).to.deep.equal([
      [
        [MOBILE, null],
        [DESK, 'desk'],
      ],
      [
        [MOBILE, 'mobile'],
        [DESK, null],
      ],
    ]);
  });
});

forEachDb('user phones through People', (make) => {
  let t: AnyTestDb;
  beforeEach(async () => (t = await make()));
  afterEach(() => t.close());

  it('an import plans and writes the list; the audit entry names the numbers masked', async () => {
    const audit = new AuditRepo(t.db, Date.now);
    const people = new People({ db: t.db, audit, defaultLang: 'en' });
    const users = new UsersRepo(t.db);
    await people.create('cli', { email: 'a@example.com', name: 'A', phone: MOBILE });
    const plan = async (yaml: string) => {
      const { valid } = validateImport(readImportList(yaml, 'team.yaml', 'yaml'));
      return (await planImport(users, valid)).entries;
    };
    const two = `- { email: a@example.com, name: A, phones: ["+15550001111", { number: "+15550002222", label: desk }] }\n`;
    const entries = await plan(two);
    expect(entries.map((e) => [e.status, e.changes])).to.deep.equal([['updated', ['phones', 'phone_verified']]]);
    await people.import('cli', { source: 'team.yaml', format: 'yaml', entries });
    expect((await plan(two)).map((e) => e.status)).to.deep.equal(['unchanged']);
    expect((await users.getByEmail('a@example.com'))!.phones.map((p) => p.number)).to.deep.equal([MOBILE, DESK]);
    await people.update('admin', 'a@example.com', { phones: [{ number: DESK, label: 'desk', verified: undefined }] });
    const [last] = await audit.list();
    expect(last.detail).to.deep.equal({ phones: [{ number: '+1555*****22', label: 'desk' }] });
    expect(JSON.stringify(await audit.list())).not.to.include(DESK);
  });
});
