import { expect } from 'chai';
import { classifyEnd } from '../../../src/telephony';

describe('classifyEnd: causes and Dial statuses → outcome', () => {
  const cases: Array<[string, Parameters<typeof classifyEnd>[0], string]> = [
    ['answered, remote hangup', { answered: true, cause: 16, dialStatus: 'ANSWER' }, 'answered'],
    ['Local busy: ;1 cause 0, ;2 17', { answered: false, cause: 0, partnerCause: 17, dialStatus: 'BUSY' }, 'busy'],
    ['Local busy, ;2 not seen', { answered: false, cause: 0, dialStatus: 'BUSY' }, 'busy'],
    ['SIP busy 17, no Dial', { answered: false, cause: 17, dialStatus: null }, 'busy'],
    ['congestion', { answered: false, cause: 0, partnerCause: 34, dialStatus: 'CONGESTION' }, 'congestion'],
    ['SIP 503 → 34', { answered: false, cause: 34, dialStatus: 'NOANSWER' }, 'congestion'],
    ['ring-out 19, last Dial RINGING', { answered: false, cause: 19, dialStatus: 'RINGING' }, 'no-answer'],
    ['SIP 408 → 18', { answered: false, cause: 18, dialStatus: 'NOANSWER' }, 'no-answer'],
    ['app cancel reason=normal', { answered: false, cause: 16, partnerCause: 16, dialStatus: 'NOANSWER' }, 'no-answer'],
    ['reject 21 reads NOANSWER', { answered: false, cause: 21, dialStatus: 'NOANSWER' }, 'rejected'],
    ['SIP 404 → 1', { answered: false, cause: 1, dialStatus: 'NOANSWER' }, 'unreachable'],
    ['SIP 420 → 3', { answered: false, cause: 3, dialStatus: 'CHANUNAVAIL' }, 'unreachable'],
    ['CHANUNAVAIL alone', { answered: false, cause: 0, dialStatus: 'CHANUNAVAIL' }, 'unreachable'],
    ['no such Local extension', { answered: false, cause: 0, partnerCause: 0, dialStatus: null }, 'unreachable'],
    ['SIP 500 → 38', { answered: false, cause: 38, dialStatus: 'NOANSWER' }, 'failed'],
    ['lost before anything', { answered: false, cause: null, dialStatus: 'RINGING', lostConnection: true }, 'failed'],
  ];
  for (const [name, input, outcome] of cases) {
    it(`${name} → ${outcome}`, () => {
      expect(classifyEnd(input).outcome).to.equal(outcome);
    });
  }

  it('prefers the specific cause of the ;2 half over cause 0 and names it', () => {
    expect(classifyEnd({ answered: false, cause: 0, partnerCause: 17, dialStatus: 'BUSY' })).to.deep.equal({
      outcome: 'busy',
      answered: false,
      cause: 17,
      causeText: 'User busy',
      dialStatus: 'BUSY',
      sipCode: null,
    });
  });

  it('carries the SIP code Asterisk gave as tech_cause', () => {
    expect(classifyEnd({ answered: false, cause: 34, dialStatus: 'CONGESTION', sipCode: 503 })).to.include({
      outcome: 'congestion',
      cause: 34,
      sipCode: 503,
    });
  });

  it('keeps lostConnection on an answered call', () => {
    expect(classifyEnd({ answered: true, cause: null, dialStatus: 'ANSWER', lostConnection: true })).to.include({
      outcome: 'answered',
      lostConnection: true,
    });
  });
});
