import { expect } from 'chai';
import { checkSend, DEFAULT_LIMITS, evaluateRule, evaluateRules, limitsSchema, parseDuration } from '../../../src/limits';

const MIN = 60_000;
const now = Date.parse('2026-11-21T03:00:00Z');
const ago = (...mins: number[]) => mins.map((m) => now - m * MIN);

describe('rate limits', () => {
  it('defaults: voice 3, SMS 5, push 10 per 15 minutes', () => {
    const d = limitsSchema.parse(undefined);
    expect(d).to.deep.equal(DEFAULT_LIMITS);
    expect(d.perUser.voice).to.deep.equal([{ count: 3, windowMs: 15 * MIN }]);
    expect(d.perUser.sms[0].count).to.equal(5);
    expect(d.perUser.push[0].count).to.equal(10);
  });

  it('allows below the count and gives the moment the oldest counted send leaves the window', () => {
    const rule = { count: 3, windowMs: 15 * MIN };
    expect(evaluateRule(rule, ago(1, 2), now)).to.deep.equal({ allowed: true });
    expect(evaluateRule(rule, ago(1, 2, 10), now)).to.deep.equal({ allowed: false, waitUntil: now + 5 * MIN, rule });
    // Sends older than the window do not count; unsorted input is fine.
    expect(evaluateRule(rule, ago(10, 16, 1, 30), now).allowed).to.equal(true);
    // With more sends than the count, the count-th most recent decides.
    expect(evaluateRule(rule, ago(14, 1, 2, 3), now)).to.deep.include({ waitUntil: now + 12 * MIN });
    // Exactly at the window's edge the send has left it.
    expect(evaluateRule(rule, ago(1, 2, 15), now).allowed).to.equal(true);
  });

  it('several rules: the strictest wins', () => {
    const rules = [
      { count: 1, windowMs: MIN },
      { count: 3, windowMs: 15 * MIN },
    ];
    expect(evaluateRules(rules, ago(0.5), now)).to.deep.include({ allowed: false, waitUntil: now + 0.5 * MIN });
    expect(evaluateRules(rules, ago(2, 5, 10), now)).to.deep.include({ allowed: false, waitUntil: now + 5 * MIN });
    expect(evaluateRules(rules, ago(2, 5), now).allowed).to.equal(true);
  });

  it("checkSend combines the person's channel limit and the global rate", () => {
    const limits = limitsSchema.parse({ per_user: { sms: '2/10m' }, global: '3/1m' });
    expect(checkSend(limits, { channel: 'sms', now, userSends: ago(1), globalSends: ago(0.5) })).to.deep.equal({ allowed: true });
    const user = checkSend(limits, { channel: 'sms', now, userSends: ago(1, 4), globalSends: [] });
    expect(user).to.deep.include({ allowed: false, scope: 'user', waitUntil: now + 6 * MIN, reason: 'sms limit 2/10m per person' });
    const global = checkSend(limits, { channel: 'push', now, userSends: [], globalSends: ago(0.1, 0.2, 0.3) });
    expect(global).to.deep.include({ allowed: false, scope: 'global', reason: 'global send limit 3/1m' });
    // Voice keeps its default when not configured.
    expect(checkSend(limits, { channel: 'voice', now, userSends: ago(1, 2, 3), globalSends: [] })).to.deep.include({
      allowed: false,
      scope: 'user',
    });
  });

  it('parses rules as strings or objects and rejects nonsense', () => {
    const l = limitsSchema.parse({ per_user: { voice: ['1/1m', { count: 3, per: '15m' }], push: { count: 20, per: 3_600_000 } } });
    expect(l.perUser.voice).to.deep.equal([
      { count: 1, windowMs: MIN },
      { count: 3, windowMs: 15 * MIN },
    ]);
    expect(l.perUser.push).to.deep.equal([{ count: 20, windowMs: 3_600_000 }]);
    expect(parseDuration('1h30m')).to.equal(90 * MIN);
    expect(limitsSchema.safeParse({ per_user: { sms: '0/1m' } }).success).to.equal(false);
    expect(limitsSchema.safeParse({ per_user: { sms: 'five per minute' } }).success).to.equal(false);
    expect(limitsSchema.safeParse({ per_user: { fax: '1/1m' } }).success).to.equal(false);
  });
});
