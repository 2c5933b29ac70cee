/** The verification store on SQLite and PostgreSQL: limits hold under concurrency, types come back right. */
import { expect } from 'chai';
import { silentLogger } from '../../../src/core/log';
import { AppError } from '../../../src/core/errors';
import { UsersRepo } from '../../../src/directory/users-repo';
import { AuditRepo } from '../../../src/audit';
import { buildSenders } from '../../../src/senders';
import { PhoneVerifier } from '../../../src/verify';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { FakeSmsGateway } from '../../fakes/senders';
import { FakeClock } from '../../fakes/clock';
import { lastSms, SECRET } from './helpers';

forEachDb('phone verification store', (make) => {
  let t: AnyTestDb;
  let gw: FakeSmsGateway;
  let clock: FakeClock;
  let users: UsersRepo;
  let verifier: PhoneVerifier;
  const email = 'carol@example.com';

  beforeEach(async () => {
    t = await make();
    gw = await FakeSmsGateway.start();
    clock = new FakeClock();
    users = new UsersRepo(t.db, () => clock.now());
    const sms = buildSenders(
      { sms: [{ type: 'http', url: `${gw.url}/send`, body: '{"to":"{{to}}","text":"{{text}}"}' }] },
      { clock, logger: silentLogger() },
    );
    verifier = new PhoneVerifier({
      db: t.db,
      users,
      clock,
      logger: silentLogger(),
      secret: SECRET,
      publicUrl: 'http://x/',
      sms,
      caller: null,
      audit: new AuditRepo(t.db, () => clock.now()),
    });
    await users.create({ email, name: 'Carol', phone: '+15550003333' }, { lang: 'en' });
  });
  afterEach(async () => {
    await verifier.stop();
    await gw.close();
    await t.close();
  });

  const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('five starts at the same moment send exactly one SMS', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifier.start('test', email, { method: 'sms' })));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).to.equal('verify-too-soon');
    expect(gw.requests).to.have.length(1);
    expect(await t.db('phone_verifications').count({ n: '*' })).to.deep.equal([{ n: t.kind === 'postgres' ? '1' : 1 }]);
  });

  it('ten wrong guesses at the same moment spend at most the five tries, then the code is locked', async () => {
    await verifier.start('test', email, { method: 'sms' });
    const { code } = lastSms(gw);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.confirm('test', email, wrongFor(code))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 'wrong').length).to.be.at.most(4);
    expect(statuses.every((s) => s === 'wrong' || s === 'too-many-attempts')).to.equal(true);
    const row = await t.db('phone_verifications').first();
    expect(Number(row.attempts)).to.equal(5);
    expect(row.state).to.equal('locked');
    expect((await verifier.confirm('test', email, code)).status).to.equal('too-many-attempts');
  });

  it('a right code after wrong ones verifies; times and booleans read back as numbers and booleans', async () => {
    const started = await verifier.start('test', email, { method: 'sms' });
    expect((await users.getByEmail(email))!.phoneVerified).to.equal(false);
    const { code } = lastSms(gw);
    expect(await verifier.confirm('test', email, wrongFor(code))).to.deep.equal({ status: 'wrong', attemptsLeft: 4 });
    await clock.advance(9 * 60_000);
    expect(await verifier.confirm('test', email, code)).to.deep.equal({ status: 'ok', attemptsLeft: 3 });
    expect((await users.getByEmail(email))!.phoneVerified).to.equal(true);
    const link = started.link!.slice(started.link!.lastIndexOf('/') + 1);
    const view = await verifier.describeLink(link);
    expect(view).to.deep.equal({ status: 'confirmed', phone: '+1555*****33', name: 'Carol', attemptsLeft: 3 });
  });

  it('expiry compares as numbers (bigint columns)', async () => {
    await verifier.start('test', email, { method: 'sms' });
    await clock.advance(10 * 60_000);
    expect((await verifier.confirm('test', email, lastSms(gw).code)).status).to.equal('expired');
  });

  it('removing the person removes their verification', async () => {
    await verifier.start('test', email, { method: 'sms' });
    await users.remove(email);
    expect(await t.db('phone_verifications').select()).to.have.length(0);
  });
});
