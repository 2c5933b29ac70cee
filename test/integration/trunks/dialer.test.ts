import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { resolveTrunks, trunksSectionSchema, TrunkDialer, TrunkPool } from '../../../src/trunks';
import { answered, ended, Harness, makeHarness } from '../telephony/harness';

describe('trunks: dialling with failover (real ari-client, fake Asterisk)', () => {
  let h: Harness;
  let pool: TrunkPool;
  let dialer: TrunkDialer;
  const legsEnded: string[] = [];

  beforeEach(async () => {
    h = await makeHarness();
    legsEnded.length = 0;
    const section = trunksSectionSchema.parse([
      { name: 'first', dial: 'PJSIP/{number}@carrier-a', breaker_failures: 2, breaker_cooldown_seconds: 60 },
      { name: 'second', dial: 'PJSIP/{number}@carrier-b', caller_id: 'B <+15550002222>' },
    ]);
    const clock = new SystemClock();
    pool = new TrunkPool(resolveTrunks(section, { dialTemplate: 'x/{number}' }), clock, {
      legEnded: (t, o) => legsEnded.push(`${t}:${o}`),
      testCall: () => undefined,
    });
    dialer = new TrunkDialer({ telephony: h.tel, pool, clock, logger: silentLogger() });
  });
  afterEach(async () => h.close());

  const opts = { callerId: 'dozvon <+15550001111>', timeoutSec: 30, appArgs: ['page', 'c1'] };
  const endpoints = () => h.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels').map((r) => r.query.endpoint);

  it('dials the next trunk at once when the first answers 503, and records both legs with cause and SIP code', async () => {
    h.asterisk.trunk('carrier-a', { kind: 'refuse', cause: 34, sipCode: 503 });
    h.asterisk.phone('+15551234567').willAnswerAfter(500);
    const r = await dialer.dial('+15551234567', opts);
    await answered(r.leg);
    expect(r.trunk).to.equal('second');
    expect(endpoints()).to.deep.equal(['PJSIP/+15551234567@carrier-a', 'PJSIP/+15551234567@carrier-b']);
    const second = h.asterisk.requests.filter((x) => x.path === '/ari/channels')[1];
    expect(second.query.callerId).to.equal('B <+15550002222>');
    expect(r.legs.map((l) => [l.trunk, l.outcome, l.cause, l.sipCode, l.phoneIndex])).to.deep.equal([
      ['first', 'congestion', 34, 503, 0],
      ['second', 'dialing', null, null, 0],
    ]);
    expect(r.legs[0].endedAt).to.be.a('number');
    await r.leg.hangup();
    await ended(r.leg);
    expect(r.legs[1]).to.include({ outcome: 'answered', cause: 16 });
    expect(legsEnded).to.deep.equal(['first:congestion', 'second:answered']);
  });

  it('busy is the person: no second trunk', async () => {
    h.asterisk.phone('+15551234567').willBeBusy();
    const r = await dialer.dial('+15551234567', opts);
    expect(r.leg.ended()).to.include({ outcome: 'busy', cause: 17 });
    expect(r.trunk).to.equal('first');
    expect(endpoints()).to.have.length(1);
  });

  it('a declined call is the person: no second trunk', async () => {
    h.asterisk.phone('+15551234567').willReject({ afterMs: 100 });
    const r = await dialer.dial('+15551234567', opts);
    expect((await ended(r.leg)).outcome).to.equal('rejected');
    expect(endpoints()).to.have.length(1);
  });

  it('a trunk that never answers the INVITE is given up after ring_within_seconds and the next one rings', async () => {
    const section = trunksSectionSchema.parse([
      { name: 'first', dial: 'PJSIP/{number}@carrier-a', ring_within_seconds: 1 },
      { name: 'second', dial: 'PJSIP/{number}@carrier-b' },
    ]);
    const clock = new SystemClock();
    pool = new TrunkPool(resolveTrunks(section, { dialTemplate: 'x/{number}' }), clock);
    dialer = new TrunkDialer({ telephony: h.tel, pool, clock, logger: silentLogger() });
    h.asterisk.trunk('carrier-a', { kind: 'silent' });
    h.asterisk.phone('+15551234567').willAnswerAfter(100);
    const started = Date.now();
    const r = await dialer.dial('+15551234567', { ...opts, timeoutSec: 600 });
    await answered(r.leg);
    expect(Date.now() - started).to.be.at.least(1000);
    expect(r.trunk).to.equal('second');
    expect(r.legs[0].outcome).to.equal('no-ring');
    await r.leg.hangup();
    await ended(r.leg);
  });

  it('a page stopped while the first trunk is still silent cancels that leg and dials no other trunk', async () => {
    const section = trunksSectionSchema.parse([
      { name: 'first', dial: 'PJSIP/{number}@carrier-a', ring_within_seconds: 30 },
      { name: 'second', dial: 'PJSIP/{number}@carrier-b' },
    ]);
    const clock = new SystemClock();
    pool = new TrunkPool(resolveTrunks(section, { dialTemplate: 'x/{number}' }), clock);
    dialer = new TrunkDialer({ telephony: h.tel, pool, clock, logger: silentLogger() });
    h.asterisk.trunk('carrier-a', { kind: 'silent' });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const r = await dialer.dial('+15551234567', { ...opts, timeoutSec: 600, signal: stop.signal });
    expect((await ended(r.leg)).answered).to.equal(false);
    expect(endpoints()).to.deep.equal(['PJSIP/+15551234567@carrier-a']);
  });

  it('a phone that rings past ring_within_seconds stays on its trunk: ringing is the person, not a silent carrier', async () => {
    const section = trunksSectionSchema.parse([
      { name: 'first', dial: 'PJSIP/{number}@carrier-a', ring_within_seconds: 1 },
      { name: 'second', dial: 'PJSIP/{number}@carrier-b' },
    ]);
    const clock = new SystemClock();
    pool = new TrunkPool(resolveTrunks(section, { dialTemplate: 'x/{number}' }), clock);
    dialer = new TrunkDialer({ telephony: h.tel, pool, clock, logger: silentLogger() });
    h.asterisk.phone('+15551234567').willAnswerAfter(150_000); // 1.5 s at the fake's time scale
    const r = await dialer.dial('+15551234567', { ...opts, timeoutSec: 600 });
    await answered(r.leg, 5000);
    expect(r.trunk).to.equal('first');
    expect(endpoints()).to.have.length(1);
    await r.leg.hangup();
    await ended(r.leg);
  });

  it('after N carrier failures the first trunk is skipped, and while every trunk is open both are still tried', async () => {
    h.asterisk.trunk('carrier-a', { kind: 'refuse', cause: 38, sipCode: 500 });
    h.asterisk.phone('+15551234567').willAnswerAfter(0).willHangUpAfter(100);
    for (let i = 0; i < 2; i++) await ended((await dialer.dial('+15551234567', opts)).leg);
    expect(pool.status()[0]).to.include({ breaker: 'open', up: false });
    const skipped = await dialer.dial('+15551234567', opts);
    expect(skipped.legs.map((l) => l.trunk)).to.deep.equal(['second']);
    await ended(skipped.leg);

    h.asterisk.trunk('carrier-b', { kind: 'refuse', cause: 34, sipCode: 503 });
    for (let i = 0; i < 3; i++) await ended((await dialer.dial('+15551234567', opts)).leg);
    expect(pool.status().map((s) => s.breaker)).to.deep.equal(['open', 'open']);
    const last = await dialer.dial('+15551234567', opts);
    expect(last.legs.map((l) => l.trunk)).to.deep.equal(['first', 'second']);
    expect((await ended(last.leg)).sipCode).to.equal(503);
  });

  it('an originate the trunk refuses (500 Allocation failed) goes to the next trunk', async () => {
    const section = trunksSectionSchema.parse([
      { name: 'broken', dial: 'NOSUCHTECH/{number}' },
      { name: 'second', dial: 'PJSIP/{number}@carrier-b' },
    ]);
    const clock = new SystemClock();
    pool = new TrunkPool(resolveTrunks(section, { dialTemplate: 'x/{number}' }), clock);
    dialer = new TrunkDialer({ telephony: h.tel, pool, clock, logger: silentLogger() });
    h.asterisk.phone('+15551234567').willAnswerAfter(0);
    const r = await dialer.dial('+15551234567', opts);
    await answered(r.leg);
    expect(r.legs.map((l) => [l.trunk, l.outcome])).to.deep.equal([
      ['broken', 'failed'],
      ['second', 'dialing'],
    ]);
    await r.leg.hangup();
    await ended(r.leg);
  });
});
