import { expect } from 'chai';
import { DbPinGuard, callerKey } from '../../../src/hotline';
import { silentLogger } from '../../../src/core/log';
import { FakeClock } from '../../fakes/clock';
import { AnyTestDb, forEachDb } from '../../helpers/pg';

forEachDb('hotline PIN guard in the database', (make) => {
  let t: AnyTestDb;
  let clock: FakeClock;
  let told: string[];
  let guard: DbPinGuard;
  const stranger = { number: '+15557654321', known: false };
  const alice = { number: '+15550000001', known: true };

  beforeEach(async () => {
    t = await make();
    clock = new FakeClock();
    told = [];
    guard = new DbPinGuard({
      db: t.db,
      clock,
      logger: silentLogger(),
      limits: { perNumber: 3, overall: 5, windowMs: 3600_000 },
      notifyAdmins: async (text) => void told.push(text),
    });
  });
  afterEach(async () => t.close());

  it('refuses a number after its limit within the hour, and lets it try again once the failures are an hour old', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await guard.check(stranger)).to.deep.equal({ ok: true });
      await guard.failed(stranger);
      await clock.advance(60_000);
    }
    expect(await guard.check(stranger)).to.deep.equal({ ok: false, reason: 'number' });
    // The same number written another way is the same caller.
    expect(await guard.check({ number: '+1 555 765 4321', known: false })).to.deep.equal({ ok: false, reason: 'number' });
    expect(await guard.check(alice)).to.deep.equal({ ok: true });
    await clock.advance(3600_000 - 3 * 60_000 + 1);
    expect(await guard.check(stranger)).to.deep.equal({ ok: true });
    expect(told).to.have.length(1);
  });

  it('past the overall limit refuses unknown callers only, and tells the admins once per hour', async () => {
    for (let i = 0; i < 5; i++) await guard.failed({ number: `+1555700000${i}`, known: false });
    expect(await guard.check({ number: '+15559999999', known: false })).to.deep.equal({ ok: false, reason: 'everyone' });
    expect(await guard.check({ number: null, known: false })).to.deep.equal({ ok: false, reason: 'everyone' });
    expect(await guard.check(alice)).to.deep.equal({ ok: true });
    await guard.failed({ number: '+15557000009', known: false });
    expect(told.filter((m) => m.includes('all callers'))).to.have.length(1);
    await clock.advance(3600_000 + 1);
    for (let i = 0; i < 5; i++) await guard.failed({ number: `+1555800000${i}`, known: false });
    expect(
      told.filter((m) => m.includes('all callers')),
      'a new lockout an hour later is told again',
    ).to.have.length(2);
  });

  it('keeps no caller number in the clear, and old rows are pruned', async () => {
    await guard.failed(stranger);
    await clock.advance(2 * 3600_000);
    await guard.failed({ number: null, known: false });
    const rows = (await t.db('hotline_pin_failures').select('caller_key')) as { caller_key: string }[];
    expect(rows.map((r) => r.caller_key)).to.deep.equal(['anonymous']);
    expect(callerKey('+15557654321'))
      .to.match(/^[0-9a-f]{64}$/)
      .and.not.include('5557654321');
    expect(callerKey('anonymous')).to.equal('anonymous');
  });
});
