import { expect } from 'chai';
import { FakeClock } from '../../fakes/clock';
import { rejection } from '../../helpers/rejection';
import { cloudVerified, lastSms, local, makeRig, postCode, Rig } from './helpers';

describe('phone verification by SMS (fake SMS gateway, real HTTP, real SQLite)', () => {
  let clock: FakeClock;
  let rig: Rig;
  const email = 'alice@example.com';

  beforeEach(async () => {
    clock = new FakeClock();
    rig = await makeRig(clock);
    await rig.users.create({ email, name: 'Alice', phone: '+79161234567' }, { lang: 'en' });
  });
  afterEach(() => rig.close());

  it('texts a 6-digit code with a link; the number is unverified until the link POST confirms it', async () => {
    expect(await cloudVerified(rig, email)).to.equal(true); // an operator-entered number starts verified
    const started = await rig.verifier.start('test', email, { method: 'sms' });
    expect(started.method).to.equal('sms');
    expect(started.expiresAt).to.equal(clock.now() + 10 * 60_000);
    const sms = lastSms(rig.gw);
    expect(sms.to).to.equal('+79161234567');
    expect(sms.text).to.equal(`dozvon: your verification code is ${sms.code}. Or open ${sms.link}`);
    expect(sms.link).to.match(/^http:\/\/dozvon\.test:8080\/verify\/[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(started.link).to.equal(sms.link);
    expect(sms.link).not.to.include(sms.code);
    expect(await cloudVerified(rig, email)).to.equal(false);

    const page = await fetch(local(rig, sms.link));
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html).to.include('<form method="post"').and.include('name="code"').and.include('+7916*****67');
    expect(html).not.to.include('+79161234567');
    expect(page.headers.get('cache-control')).to.equal('no-store');
    expect(await cloudVerified(rig, email)).to.equal(false); // GET never confirms

    const ok = await postCode(local(rig, sms.link), sms.code.slice(0, 3) + ' ' + sms.code.slice(3), sms.token);
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.include('Number verified');
    expect(await cloudVerified(rig, email)).to.equal(true);
    expect((await rig.users.getByEmail(email))!.phoneVerified).to.equal(true);

    // Used up: the page says the number is verified; posting the code again changes nothing.
    const after = await fetch(local(rig, sms.link));
    expect(after.status).to.equal(200);
    expect(await after.text()).to.include('already verified');
    expect((await postCode(local(rig, sms.link), sms.code, sms.token)).status).to.equal(409);
    expect(await cloudVerified(rig, email)).to.equal(true);
  });

  it('audits itself: who sent the code, how each confirmation ended (the link named as the actor), and a confirmed number commits with its entry', async () => {
    const audit = async () =>
      (await rig.tdb.db('audit_log').orderBy('id').select('actor', 'action', 'target', 'detail')).map(
        (r: { actor: string; action: string; detail: string | null }) => `${r.actor} ${r.action} ${r.detail}`,
      );
    await rig.verifier.start('console (session ab12cd, 127.0.0.1)', email, { method: 'sms' });
    const sms = lastSms(rig.gw);
    expect(await rig.verifier.confirm('cli (ops@box)', email, wrongOf(sms.code))).to.deep.include({ status: 'wrong' });
    expect((await postCode(local(rig, sms.link), sms.code, sms.token)).status).to.equal(200);
    expect(await audit()).to.deep.equal([
      'console (session ab12cd, 127.0.0.1) user.verify {"method":"sms"}',
      'cli (ops@box) user.verify.confirm {"status":"wrong"}',
      'verification link user.verify.confirm {"status":"ok"}',
    ]);

    // An entry that cannot be written takes the verified flag back with it.
    await clock.advance(61_000);
    await rig.verifier.start('admin', email, { method: 'sms' });
    const again = lastSms(rig.gw);
    await rig.tdb.db.raw("CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log refused'); END");
    let refused: unknown = null;
    await rig.verifier.confirm('admin', email, again.code).catch((e: unknown) => (refused = e));
    expect(String(refused)).to.include('audit log refused');
    expect((await rig.users.getByEmail(email))!.phoneVerified).to.equal(false);
  });

  it('confirm() with the code from the SMS verifies; the database holds only a hash', async () => {
    await rig.verifier.start('test', email, { method: 'sms' });
    const { code } = lastSms(rig.gw);
    const rows = await rig.tdb.db('phone_verifications').select();
    expect(rows).to.have.length(1);
    expect(JSON.stringify(rows)).not.to.include(code);
    expect(rows[0].code_hash).to.match(/^[0-9a-f]{64}$/);
    expect(await rig.verifier.confirm('test', email, code)).to.deep.include({ status: 'ok' });
    expect(await cloudVerified(rig, email)).to.equal(true);
    expect((await rig.tdb.db('phone_verifications').first()).code_hash).to.equal(null);
    expect((await rig.verifier.confirm('test', email, code)).status).to.equal('none');
  });

  it('the code expires after 10 minutes, by confirm() and by the link', async () => {
    await rig.verifier.start('test', email, { method: 'sms' });
    const sms = lastSms(rig.gw);
    await clock.advance(10 * 60_000 - 1);
    expect((await fetch(local(rig, sms.link))).status).to.equal(200);
    await clock.advance(1);
    expect((await rig.verifier.confirm('test', email, sms.code)).status).to.equal('expired');
    const page = await fetch(local(rig, sms.link));
    expect(page.status).to.equal(410);
    expect(await page.text()).to.include('expired');
    expect((await postCode(local(rig, sms.link), sms.code, sms.token)).status).to.equal(410);
    expect(await cloudVerified(rig, email)).to.equal(false);
  });

  it('one send per minute: a second start within 60 s is refused with when to retry; after it, a new code replaces the old', async () => {
    await rig.verifier.start('test', email, { method: 'sms' });
    const first = lastSms(rig.gw);
    await clock.advance(20_000);
    const e = await rejection(rig.verifier.start('test', email, { method: 'sms' }));
    expect(e.code).to.equal('verify-too-soon');
    expect(e.message).to.match(/try again in 40 s/);
    expect(e.details).to.deep.equal({ retryAt: clock.now() + 40_000 });
    expect(rig.gw.requests).to.have.length(1);
    await clock.advance(40_000);
    await rig.verifier.start('test', email, { method: 'sms' });
    const second = lastSms(rig.gw);
    expect(rig.gw.requests).to.have.length(2);
    expect(second.token).not.to.equal(first.token);
    // The old link names a code that is gone; the old digits are not the new code (unless equal by chance).
    expect((await fetch(local(rig, first.link))).status).to.equal(409);
    expect((await postCode(local(rig, first.link), first.code)).status).to.equal(409);
    expect((await rig.verifier.confirm('test', email, second.code)).status).to.equal('ok');
  });

  it('5 wrong tries lock the code: the 5th answers too-many-attempts and the right code no longer works', async () => {
    await rig.verifier.start('test', email, { method: 'sms' });
    const { code, link, token } = lastSms(rig.gw);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 3; i++)
      expect(await rig.verifier.confirm('test', email, wrong)).to.deep.equal({ status: 'wrong', attemptsLeft: 5 - i });
    // A malformed entry is a typo, not a guess: no try spent.
    expect(await rig.verifier.confirm('test', email, '12345')).to.deep.equal({ status: 'wrong', attemptsLeft: 2 });
    const fourth = await postCode(local(rig, link), wrong, token);
    expect(fourth.status).to.equal(422);
    expect(await fourth.text())
      .to.include('That code is not right')
      .and.include('1 try left');
    expect((await rig.verifier.confirm('test', email, wrong)).status).to.equal('too-many-attempts');
    expect((await rig.verifier.confirm('test', email, code)).status).to.equal('too-many-attempts');
    expect((await postCode(local(rig, link), code, token)).status).to.equal(429);
    expect((await fetch(local(rig, link))).status).to.equal(429);
    expect(await cloudVerified(rig, email)).to.equal(false);
  });

  it('a tampered link is refused on GET and POST; a form whose token differs from the URL is refused', async () => {
    await rig.verifier.start('test', email, { method: 'sms' });
    const { link, code, token } = lastSms(rig.gw);
    const bad = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await fetch(local(rig, bad))).status).to.equal(400);
    expect((await postCode(local(rig, bad), code)).status).to.equal(400);
    expect((await postCode(local(rig, link), code, token + 'x')).status).to.equal(400);
    expect(await cloudVerified(rig, email)).to.equal(false);
  });

  it('gateway errors say temporary or permanent, free the minute, and put the old verified flag back', async () => {
    rig.gw.queue({ status: 503, body: 'overloaded' });
    const t = await rejection(rig.verifier.start('test', email, { method: 'sms' }));
    expect(t.code).to.equal('verify-sms-failed');
    expect(t.temporary).to.equal(true);
    expect(t.message)
      .to.match(/temporary error/)
      .and.match(/HTTP 503/);
    expect(await cloudVerified(rig, email)).to.equal(true);
    rig.gw.queue({ status: 400, body: { error: 'bad number' } });
    const p = await rejection(rig.verifier.start('test', email, { method: 'sms' })); // no minute to wait: nothing was sent
    expect(p.temporary).to.equal(false);
    expect(p.message).to.match(/permanent error/);
    await rig.verifier.start('test', email, { method: 'sms' });
    expect((await rig.verifier.confirm('test', email, lastSms(rig.gw).code)).status).to.equal('ok');
  });

  it('a number changed after the code was sent voids the code', async () => {
    await rig.verifier.start('test', email, { method: 'sms' });
    const { code } = lastSms(rig.gw);
    await rig.users.update(email, { phone: '+79160000000', phone_verified: false });
    expect((await rig.verifier.confirm('test', email, code)).status).to.equal('none');
    expect(await cloudVerified(rig, email)).to.equal(false);
  });

  it('refuses people without a phone and unknown people; russian speakers get a russian text', async () => {
    await rig.users.create({ email: 'nophone@example.com', name: 'No Phone' }, { lang: 'en' });
    expect((await rejection(rig.verifier.start('test', 'nophone@example.com', { method: 'sms' }))).code).to.equal('verify-no-phone');
    expect((await rejection(rig.verifier.start('test', 'ghost@example.com'))).code).to.equal('not-found');
    await rig.users.create({ email: 'ivan@example.com', name: 'Иван', phone: '+79169999999', lang: 'ru' }, { lang: 'en' });
    const r = await rig.verifier.start('test', 'ivan@example.com'); // default method: SMS for a +number a sender takes
    expect(r.method).to.equal('sms');
    expect((rig.gw.last().json as { text: string }).text).to.match(/^dozvon: ваш код подтверждения \d{6}\. Или откройте http/);
    expect((await rejection(rig.verifier.start('test', 'ivan@example.com', { method: 'call' }))).code).to.equal('verify-no-telephony');
  });
});

/** A code of the right shape that is not this one. */
function wrongOf(code: string): string {
  return code === '000000' ? '111111' : '000000';
}
