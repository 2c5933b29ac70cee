/** Each of a person's phones is verified on its own: the code goes to the number asked for, and only that number's mark moves. */
import { expect } from 'chai';
import { FakeClock } from '../../fakes/clock';
import { rejection } from '../../helpers/rejection';
import { cloudVerified, lastSms, makeRig, Rig } from './helpers';

describe('phone verification with several phones (fake SMS gateway, real SQLite)', () => {
  let clock: FakeClock;
  let rig: Rig;
  const email = 'alice@example.com';
  const MOBILE = '+79161234567';
  const DESK = '+74951234567';
  const marks = async () => (await rig.users.getByEmail(email))!.phones.map((p) => [p.number, p.verified]);

  beforeEach(async () => {
    clock = new FakeClock();
    rig = await makeRig(clock);
    await rig.users.create(
      {
        email,
        name: 'Alice',
        phones: [
          { number: MOBILE, label: 'mobile', verified: true },
          { number: DESK, label: 'desk', verified: false },
        ],
      },
      { lang: 'en' },
    );
  });
  afterEach(() => rig.close());

  it('a code for the second phone goes there; confirming it verifies that phone alone; the synced first phone stays as it was', async () => {
    await rig.verifier.start('test', email, { method: 'sms', phone: '+7 495 123-45-67' });
    const sms = lastSms(rig.gw);
    expect(sms.to).to.equal(DESK);
    // The first phone (what OnCall's user sync reports) was verified all along and stays so.
    expect(await cloudVerified(rig, email)).to.equal(true);
    expect((await rig.verifier.confirm('test', email, sms.code)).status).to.equal('ok');
    expect(await marks()).to.deep.equal([
      [MOBILE, true],
      [DESK, true],
    ]);
    const [entry] = await rig.tdb.db('audit_log').where({ action: 'user.verify' }).select('detail');
    expect(JSON.parse(entry.detail)).to.deep.equal({ method: 'sms', phone: 2 });
  });

  it('while a code is out for one phone that phone counts as unverified; an undelivered code puts its mark back', async () => {
    rig.gw.queue({ status: 503, body: 'overloaded' });
    await rejection(rig.verifier.start('test', email, { method: 'sms' }));
    expect(await marks()).to.deep.equal([
      [MOBILE, true],
      [DESK, false],
    ]);
    await rig.verifier.start('test', email, { method: 'sms' });
    expect(lastSms(rig.gw).to).to.equal(MOBILE);
    expect(await marks()).to.deep.equal([
      [MOBILE, false],
      [DESK, false],
    ]);
    expect(await cloudVerified(rig, email)).to.equal(false);
  });

  it('a number that is not theirs is refused, and a phone removed while its code was out voids the code', async () => {
    expect((await rejection(rig.verifier.start('test', email, { method: 'sms', phone: '+15550009999' }))).code).to.equal(
      'verify-not-their-phone',
    );
    await rig.verifier.start('test', email, { method: 'sms', phone: DESK });
    const { code } = lastSms(rig.gw);
    await rig.users.update(email, { phones: [{ number: MOBILE }] });
    expect((await rig.verifier.confirm('test', email, code)).status).to.equal('none');
    expect(await marks()).to.deep.equal([[MOBILE, true]]);
  });
});
