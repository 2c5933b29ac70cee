import { expect } from 'chai';
import { AppError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/log';
import type { CallEnd, CallLeg, LegEvents, OriginateRequest, Telephony } from '../../../src/telephony/types';
import { resolveTrunks, trunksSectionSchema } from '../../../src/trunks/config';
import { TrunkPool } from '../../../src/trunks/pool';
import { TrunkTestCalls } from '../../../src/trunks/test-calls';
import { FakeClock } from '../../fakes/clock';

/** A leg the test drives: answer it, end it, or leave it silent. */
class DrivenLeg {
  readonly id = 'leg';
  readonly direction = 'outbound' as const;
  readonly callerNumber = null;
  readonly server = 'http://ast';
  up = false;
  end: CallEnd | null = null;
  hangups: string[] = [];
  private fns: { [K in keyof LegEvents]: Set<LegEvents[K]> } = {
    ringing: new Set(),
    answered: new Set(),
    dtmf: new Set(),
    ended: new Set(),
    talk: new Set(),
  };
  isUp = () => this.up;
  hasRung = () => this.up;
  ended = () => this.end;
  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    (this.fns[ev] as Set<LegEvents[E]>).add(fn);
  }
  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    (this.fns[ev] as Set<LegEvents[E]>).delete(fn);
  }
  answer(): void {
    this.up = true;
    for (const f of this.fns.answered) f();
  }
  finish(e: CallEnd): void {
    this.end = e;
    for (const f of this.fns.ended) f(e);
  }
  async hangup(reason = 'normal'): Promise<void> {
    this.hangups.push(reason);
  }
}

class ScriptedTelephony {
  calls: OriginateRequest[] = [];
  legs: DrivenLeg[] = [];
  refuse: Error | null = null;
  async originate(req: OriginateRequest): Promise<CallLeg> {
    this.calls.push(req);
    if (this.refuse) throw this.refuse;
    const leg = new DrivenLeg();
    this.legs.push(leg);
    return leg as unknown as CallLeg;
  }
}

function world() {
  const clock = new FakeClock();
  const section = trunksSectionSchema.parse([
    { name: 'a', dial: 'PJSIP/{number}@a', test: { number: '15550009999', every: 5, answer_within: 10 } },
    { name: 'b', dial: 'PJSIP/{number}@b' },
  ]);
  const pool = new TrunkPool(resolveTrunks(section, { dialTemplate: 'x/{number}' }), clock);
  const tel = new ScriptedTelephony();
  const tests = new TrunkTestCalls({
    telephony: tel as unknown as Telephony,
    pool,
    clock,
    logger: silentLogger(),
    callerId: 'dozvon <+1555>',
  });
  return { clock, pool, tel, tests };
}

describe('trunks: test calls on a timer', () => {
  it('calls the test number at start and every N minutes, only on trunks that have one; an answer is hung up and counts as up', async () => {
    const { clock, pool, tel, tests } = world();
    tests.start();
    await clock.advance(0);
    expect(tel.calls.map((c) => c.endpoint)).to.deep.equal(['PJSIP/15550009999@a']);
    expect(tel.calls[0]).to.include({ timeoutSec: 10 });
    tel.legs[0].answer();
    await clock.advance(0);
    expect(tel.legs[0].hangups).to.deep.equal(['normal']);
    expect(pool.status()[0]).to.include({ up: true, lastTestSuccessAt: clock.now() });
    await clock.advance(5 * 60_000 - 1);
    expect(tel.calls).to.have.length(1);
    await clock.advance(1);
    expect(tel.calls).to.have.length(2);
    tests.stop();
    tel.legs[1].answer();
    await clock.advance(60 * 60_000);
    expect(tel.calls, 'stopped: no more test calls').to.have.length(2);
  });

  it('a test call refused by the carrier marks the trunk down with the cause and SIP code', async () => {
    const { clock, pool, tel, tests } = world();
    tests.start();
    await clock.advance(0);
    tel.legs[0].finish({ outcome: 'rejected', answered: false, cause: 21, causeText: 'Call Rejected', dialStatus: null, sipCode: 403 });
    await clock.advance(0);
    const a = pool.status()[0];
    expect(a).to.include({ up: false, breaker: 'open' });
    expect(a.lastTest?.detail).to.equal('rejected (cause 21, SIP 403) instead of an answer within 10 s');
    tests.stop();
  });

  it('no answer and no word from Asterisk: cancelled after the window plus a grace, and the trunk is down', async () => {
    const { clock, pool, tel, tests } = world();
    tests.start();
    await clock.advance(0);
    await clock.advance(19_999);
    expect(pool.status()[0].lastTest).to.equal(null);
    await clock.advance(1);
    expect(tel.legs[0].hangups).to.deep.equal(['no_answer']);
    expect(pool.status()[0]).to.include({ up: false });
    tests.stop();
  });

  it('an originate refused outright is a failed test call too', async () => {
    const { clock, pool, tel, tests } = world();
    tel.refuse = new AppError('ari-error', 'originate: Allocation failed', { temporary: true });
    tests.start();
    await clock.advance(0);
    expect(pool.status()[0].lastTest?.detail).to.equal('originate refused: originate: Allocation failed');
    tests.stop();
  });
});
