import { expect } from 'chai';
import { voiceHold, VoiceAttemptRecord, limitsSchema, DEFAULT_LIMITS } from '../../../src/limits';

const MIN = 60_000;
const RULES = [{ count: 3, windowMs: 15 * MIN }];
const NOW = 100 * MIN;
const at = (minutesAgo: number, o: Partial<VoiceAttemptRecord> = {}): VoiceAttemptRecord => ({
  callId: `c${minutesAgo}`,
  startedAt: NOW - minutesAgo * MIN,
  outcome: 'answered',
  alertGroupId: 'IA',
  first: true,
  ...o,
});
const hold = (pages: { attempts: number; alertGroupId: string | null }[], history: VoiceAttemptRecord[], gapMs = 15_000) =>
  voiceHold({ rules: RULES, gapMs, pages, history, now: NOW });

describe('voiceHold: limits that bound storms, not new incidents', () => {
  it('the gap: a call that started less than 15 s ago holds any call until 15 s after it', () => {
    const h = hold([{ attempts: 0, alertGroupId: 'IB' }], [{ ...at(0), startedAt: NOW - 4_000 }]);
    expect(h).to.deep.equal({ until: NOW + 11_000, kind: 'gap', reason: 'calls to one person start at least 15 s apart' });
    expect(hold([{ attempts: 2, alertGroupId: 'IA' }], [{ ...at(0), startedAt: NOW - 4_000 }])?.until).to.equal(NOW + 11_000);
  });

  it('attempts that never reached the network (no Asterisk), or were cut by a restart, do not space calls', () => {
    expect(hold([{ attempts: 0, alertGroupId: 'IB' }], [{ ...at(0), startedAt: NOW - 4_000, outcome: 'unavailable' }])).to.equal(null);
    expect(hold([{ attempts: 1, alertGroupId: 'IA' }], [{ ...at(0), startedAt: NOW - 4_000, outcome: 'interrupted' }])).to.equal(null);
  });

  it('retries are never held by the per-person rule, and retries never count', () => {
    const retries = [at(5, { first: false }), at(4, { first: false }), at(3, { first: false })];
    expect(hold([{ attempts: 1, alertGroupId: 'IA' }], [at(6), at(5), at(4)])).to.equal(null);
    expect(hold([{ attempts: 0, alertGroupId: 'IA' }], [at(6), ...retries])).to.equal(null);
  });

  it('a page about a new or unidentified alert group rings even after three admissions', () => {
    const history = [at(6), at(4), at(2)];
    expect(hold([{ attempts: 0, alertGroupId: 'IB' }], history)).to.equal(null);
    expect(hold([{ attempts: 0, alertGroupId: null }], history)).to.equal(null);
    expect(
      hold(
        [
          { attempts: 0, alertGroupId: 'IA' },
          { attempts: 0, alertGroupId: 'IB' },
        ],
        history,
      ),
    ).to.equal(null);
  });

  it('a call of only repeat pages waits until the rule allows; a bundle counts once', () => {
    const history = [at(10, { alertGroupId: 'IX' }), at(10, { alertGroupId: 'IY' }), at(6), at(2, { alertGroupId: 'IZ' })];
    expect(hold([{ attempts: 0, alertGroupId: 'IA' }], history)).to.deep.equal({
      until: NOW + 5 * MIN,
      kind: 'repeat',
      reason: 'voice limit 3/15m per person (repeat pages about incidents already called about)',
    });
    expect(hold([{ attempts: 0, alertGroupId: 'IA' }], history.slice(2))).to.equal(null); // two calls in the window
  });

  it('an alert group called about outside the window is new again', () => {
    expect(
      hold(
        [{ attempts: 0, alertGroupId: 'IA' }],
        [at(20), at(10, { alertGroupId: 'IX' }), at(6, { alertGroupId: 'IY' }), at(2, { alertGroupId: 'IZ' })],
      ),
    ).to.equal(null);
  });
});

describe('limits.call_gap', () => {
  it('defaults to 15 s; 0 turns the spacing off; more than 30 s is refused (a new incident must ring within 30 s)', () => {
    expect(DEFAULT_LIMITS.callGapMs).to.equal(15_000);
    expect(limitsSchema.parse({}).callGapMs).to.equal(15_000);
    expect(limitsSchema.parse({ call_gap: 0 }).callGapMs).to.equal(0);
    expect(limitsSchema.parse({ call_gap: '20s' }).callGapMs).to.equal(20_000);
    const r = limitsSchema.safeParse({ call_gap: '1m' });
    expect(r.success).to.equal(false);
    expect(JSON.stringify(r.error?.issues)).to.include('within 30 s');
  });

  it('with the gap off, only the per-person rule applies', () => {
    expect(
      voiceHold({
        rules: RULES,
        gapMs: 0,
        pages: [{ attempts: 0, alertGroupId: 'IB' }],
        history: [{ ...at(0), startedAt: NOW }],
        now: NOW,
      }),
    ).to.equal(null);
  });
});
