import { expect } from 'chai';
import { decideRetry } from '../../src/dispatch/policy';

describe('retry policy', () => {
  it('busy is retried every 15 s up to 3 times, then given up', () => {
    expect(decideRetry(['busy'])).to.deep.include({ kind: 'retry', delayMs: 15_000 });
    expect(decideRetry(['busy', 'busy'])).to.deep.include({ kind: 'retry', delayMs: 15_000 });
    expect(decideRetry(['busy', 'busy', 'busy'])).to.deep.include({ kind: 'retry', delayMs: 15_000 });
    expect(decideRetry(['busy', 'busy', 'busy', 'busy']).kind).to.equal('give-up');
  });

  it('no answer, rejection and answers without a digit get 2 more calls 60 s apart', () => {
    for (const o of ['no-answer', 'rejected', 'answered', 'failed'] as const) {
      expect(decideRetry([o])).to.deep.include({ kind: 'retry', delayMs: 60_000 });
      expect(decideRetry([o, o])).to.deep.include({ kind: 'retry', delayMs: 60_000 });
      expect(decideRetry([o, o, o]).kind, o).to.equal('give-up');
    }
  });

  it('an answering machine is not delivery: it is retried like an unanswered call, from the same budget, and says so', () => {
    expect(decideRetry(['voicemail'])).to.deep.equal({
      kind: 'retry',
      delayMs: 60_000,
      reason: 'answering machine (message left); retry 1 of 2',
    });
    expect(decideRetry(['no-answer', 'voicemail'])).to.deep.include({ kind: 'retry', delayMs: 60_000 });
    expect(decideRetry(['voicemail', 'answered', 'voicemail'])).to.deep.include({ kind: 'give-up' });
    expect(decideRetry(['voicemail', 'busy'])).to.deep.include({ kind: 'retry', delayMs: 15_000 });
  });

  it('congestion counts as busy; the two budgets are separate', () => {
    expect(decideRetry(['congestion'])).to.deep.include({ kind: 'retry', delayMs: 15_000 });
    expect(decideRetry(['no-answer', 'busy', 'busy', 'busy'])).to.deep.include({ kind: 'retry', delayMs: 15_000 });
    expect(decideRetry(['no-answer', 'busy', 'busy', 'busy', 'busy']).kind).to.equal('give-up');
    expect(decideRetry(['busy', 'no-answer', 'no-answer']).kind).to.equal('retry');
    expect(decideRetry(['busy', 'no-answer', 'no-answer', 'no-answer']).kind).to.equal('give-up');
  });

  it('an unreachable number or missing telephony is not retried', () => {
    expect(decideRetry(['unreachable']).kind).to.equal('give-up');
    expect(decideRetry(['not-configured']).kind).to.equal('give-up');
  });

  it('a call cut by our own restart is retried at once and does not use a retry', () => {
    expect(decideRetry(['no-answer', 'interrupted'])).to.deep.include({ kind: 'retry', delayMs: 0 });
    expect(decideRetry(['no-answer', 'interrupted', 'no-answer'])).to.deep.include({ kind: 'retry', delayMs: 60_000 });
  });

  it('no Asterisk connected: waits 10 s at a time for a minute without using the call retries, then gives up', () => {
    expect(decideRetry(['unavailable'])).to.deep.include({ kind: 'retry', delayMs: 10_000 });
    expect(decideRetry(['no-answer', 'unavailable', 'unavailable'])).to.deep.include({ kind: 'retry', delayMs: 10_000 });
    expect(decideRetry(['no-answer', 'unavailable', 'no-answer'])).to.deep.include({ kind: 'retry', delayMs: 60_000 });
    expect(decideRetry(Array(7).fill('unavailable')).kind).to.equal('give-up');
  });
});
