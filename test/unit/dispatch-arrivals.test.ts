/** Which people got a page their call's claim did not take (so the call asks for it before dialling). */
import { expect } from 'chai';
import { Arrivals } from '../../src/dispatch/arrivals';

describe('dispatch: pages heard for a call on its way', () => {
  it('a page the call already holds is nothing new; one it does not hold is', () => {
    const a = new Arrivals();
    a.heard(7, 1);
    a.heard(7, 2);
    expect(a.takeNew(7, [1, 2])).to.equal(false);
    a.heard(7, 3);
    expect(a.takeNew(7, [1, 2])).to.equal(true);
  });

  it('asking forgets: the next call of the person starts from what is heard after', () => {
    const a = new Arrivals();
    a.heard(7, 3);
    expect(a.takeNew(7, [])).to.equal(true);
    expect(a.takeNew(7, [])).to.equal(false);
    a.heard(7, 4);
    a.forget(7);
    expect(a.takeNew(7, [])).to.equal(false);
  });

  it('before a claim, keeps only the people whose call is under way (the claim sees the rest on disk)', () => {
    const a = new Arrivals();
    a.heard(7, 1);
    a.heard(8, 2);
    a.keepOnly((u) => u === 8);
    expect(a.takeNew(7, [])).to.equal(false);
    expect(a.takeNew(8, [])).to.equal(true);
  });
});
