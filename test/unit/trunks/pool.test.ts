import { expect } from 'chai';
import { resolveTrunks, trunksSectionSchema } from '../../../src/trunks/config';
import { TrunkPool } from '../../../src/trunks/pool';
import { FakeClock } from '../../fakes/clock';

function pool(clock: FakeClock, extra: Record<string, unknown> = {}) {
  const section = trunksSectionSchema.parse([
    { name: 'a', dial: 'PJSIP/{number}@a', breaker_failures: 2, breaker_cooldown_seconds: 30, ...extra },
    { name: 'b', dial: 'PJSIP/{number}@b', breaker_failures: 2, breaker_cooldown_seconds: 30 },
  ]);
  const seen: string[] = [];
  const p = new TrunkPool(resolveTrunks(section, { dialTemplate: 'unused/{number}' }), clock, {
    legEnded: (t, o) => seen.push(`${t}:${o}`),
    testCall: (t, ok) => seen.push(`${t}:test:${ok}`),
  });
  return { p, seen };
}

const names = (list: { name: string }[]) => list.map((t) => t.name);

describe('trunks: pool', () => {
  it('skips a trunk whose breaker is open, and tries it again after the cool-down', async () => {
    const clock = new FakeClock();
    const { p } = pool(clock);
    p.legEnded('a', 'carrier', 'congestion', false);
    p.legEnded('a', 'carrier', 'congestion', false);
    expect(names(p.plan())).to.deep.equal(['b']);
    expect(p.status()[0]).to.include({ breaker: 'open', up: false, failuresInRow: 2 });
    await clock.advance(30_000);
    expect(names(p.plan())).to.deep.equal(['a', 'b']);
  });

  it('with every breaker open, still tries every trunk in order', () => {
    const clock = new FakeClock();
    const { p } = pool(clock);
    for (const t of ['a', 'a', 'b', 'b']) p.legEnded(t, 'carrier', 'congestion', false);
    expect(names(p.plan())).to.deep.equal(['a', 'b']);
  });

  it('skips a trunk at its call cap until a call ends', () => {
    const clock = new FakeClock();
    const { p } = pool(clock, { max_calls: 1 });
    p.legStarted('a');
    expect(names(p.plan())).to.deep.equal(['b']);
    p.legEnded('a', 'carried', 'answered', true);
    expect(names(p.plan())).to.deep.equal(['a', 'b']);
  });

  it('a failed test call marks the trunk down until one succeeds, and counts', () => {
    const clock = new FakeClock();
    const { p, seen } = pool(clock);
    p.testCallDone('a', false, 'failed (cause 21, SIP 403)');
    expect(p.status()[0]).to.include({ up: false, breaker: 'open' });
    expect(names(p.plan()), 'pages go to the other trunk first').to.deep.equal(['b']);
    p.testCallDone('a', true, 'answered');
    expect(p.status()[0]).to.include({ up: true, lastTestSuccessAt: clock.now() });
    expect(seen).to.deep.equal(['a:test:false', 'a:test:true']);
  });
});

describe('trunks: config', () => {
  it('DOZVON_DIAL_TEMPLATE alone is one trunk named default', () => {
    const [t, ...rest] = resolveTrunks(undefined, { dialTemplate: 'PJSIP/{number}@carrier' });
    expect(rest).to.have.length(0);
    expect(t).to.include({ name: 'default', dialTemplate: 'PJSIP/{number}@carrier', ringWithinMs: 8000 });
  });

  it('orders the list by `order`', () => {
    const s = trunksSectionSchema.parse([
      { name: 'late', dial: 'PJSIP/{number}@x', order: 2 },
      { name: 'early', dial: 'PJSIP/{number}@y', order: 1 },
    ]);
    expect(names(resolveTrunks(s, { dialTemplate: 'x{number}' }))).to.deep.equal(['early', 'late']);
  });

  const bad: Array<[string, unknown]> = [
    [
      'duplicate names',
      [
        { name: 'a', dial: 'P/{number}' },
        { name: 'A', dial: 'P/{number}@b' },
      ],
    ],
    ['a name with a space', [{ name: 'a b', dial: 'P/{number}' }]],
    ['a name of 33 characters', [{ name: 'a'.repeat(33), dial: 'P/{number}' }]],
    ['a template without {number}', [{ name: 'a', dial: 'PJSIP/100@a' }]],
    ['an unknown key', [{ name: 'a', dial: 'P/{number}', weight: 2 }]],
    ['a test number with letters', [{ name: 'a', dial: 'P/{number}', test: { number: 'echo', every: 5 } }]],
    ['an empty list', []],
  ];
  for (const [what, v] of bad) it(`refuses ${what}`, () => expect(trunksSectionSchema.safeParse(v).success).to.equal(false));
});
