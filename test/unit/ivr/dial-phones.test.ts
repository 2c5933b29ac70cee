/** The order a round of a page rings a person's phones in, and which unanswered dial stands for the round. */
import { expect } from 'chai';
import { dialPhonesInOrder, type PhoneDial } from '../../../src/ivr/dial-phones';
import type { AttemptOutcome } from '../../../src/ivr/call-types';
import type { CallLeg } from '../../../src/telephony/types';

const unanswered = (outcome: AttemptOutcome, cause: number | null = null): PhoneDial => ({
  status: 'unanswered',
  outcome,
  end: cause === null ? null : { outcome: 'no-answer', answered: false, cause, causeText: '', dialStatus: null },
  cause: outcome,
  trunk: 'default',
});
const answered: PhoneDial = { status: 'answered', leg: {} as CallLeg, trunk: 'default' };

async function round(script: PhoneDial[], stopped = () => false) {
  const dialled: number[] = [];
  let t = 1000;
  const r = await dialPhonesInOrder(
    script.map((_, i) => `+1555000000${i}`),
    async (_n, i) => (dialled.push(i), (t += 100), script[i]),
    () => t,
    stopped,
  );
  return { ...r, dialled };
}

describe('dialling a person’s phones in order', () => {
  it('stops at the first answer; the legs before it are kept with their causes', async () => {
    const r = await round([unanswered('no-answer', 19), unanswered('busy', 17), answered, unanswered('no-answer')]);
    expect(r.dialled).to.deep.equal([0, 1, 2]);
    expect(r.result.status).to.equal('answered');
    expect(r.phoneIndex).to.equal(2);
    expect(r.legs.map((l) => [l.phoneIndex, l.outcome, l.cause, l.endedAt === null])).to.deep.equal([
      [0, 'no-answer', 19, false],
      [1, 'busy', 17, false],
      [2, 'answered', null, true],
    ]);
  });

  it('every phone unanswered: the last decides, but never an unreachable number over one that only went unanswered', async () => {
    expect((await round([unanswered('busy'), unanswered('rejected')])).result).to.include({ outcome: 'rejected' });
    const r = await round([unanswered('no-answer'), unanswered('unreachable'), unanswered('unreachable')]);
    expect(r.dialled).to.deep.equal([0, 1, 2]);
    expect(r.phoneIndex).to.equal(0);
    expect(r.result).to.include({ outcome: 'no-answer' });
    expect((await round([unanswered('unreachable'), unanswered('unreachable')])).result).to.include({ outcome: 'unreachable' });
  });

  it('telephony down, a restart or an abort ends the round at once: no point ringing the next phone', async () => {
    for (const o of ['unavailable', 'not-configured', 'interrupted'] as const) {
      const r = await round([unanswered(o), answered]);
      expect(r.dialled, o).to.deep.equal([0]);
      expect(r.result, o).to.include({ outcome: o });
    }
    const aborted = await round([unanswered('no-answer'), answered], () => true);
    expect(aborted.dialled).to.deep.equal([0]);
  });
});
