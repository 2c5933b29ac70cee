import { expect } from 'chai';
import { legFate, type EndFacts } from '../../../src/trunks/failover';

const end = (f: Partial<EndFacts>): EndFacts => ({ rang: false, cause: null, sipCode: null, dialStatus: null, ...f });

describe('trunks: which failures go to the next trunk', () => {
  const carrier: Array<[string, Partial<EndFacts>]> = [
    ['SIP 503 (cause 34)', { cause: 34, sipCode: 503, dialStatus: 'CONGESTION' }],
    ['SIP 500 (cause 38)', { cause: 38, sipCode: 500 }],
    ['SIP 502 (cause 27)', { cause: 27, sipCode: 502 }],
    ['SIP 408 although it maps to "no user responding"', { cause: 18, sipCode: 408 }],
    ['SIP 504 with no cause', { sipCode: 504 }],
    ['cause 34 without a SIP code', { cause: 34 }],
    ['cause 38 network out of order', { cause: 38 }],
    ['cause 27 destination out of order', { cause: 27 }],
    ['cause 41 temporary failure', { cause: 41 }],
    ['cause 42 switching equipment congestion', { cause: 42 }],
    ['cause 102 recovery on timer expiry', { cause: 102 }],
    ['Dial CHANUNAVAIL with cause 0', { cause: 0, dialStatus: 'CHANUNAVAIL' }],
    ['Dial CONGESTION with cause 0 (a Local channel)', { cause: 0, dialStatus: 'CONGESTION' }],
  ];
  for (const [what, f] of carrier) it(`${what}: next trunk`, () => expect(legFate(end(f))).to.equal('carrier'));

  const person: Array<[string, Partial<EndFacts>]> = [
    ['busy (17, SIP 486)', { cause: 17, sipCode: 486, dialStatus: 'BUSY' }],
    ['busy everywhere (17, SIP 600)', { cause: 17, sipCode: 600 }],
    ['declined (21, SIP 603)', { cause: 21, sipCode: 603 }],
    ['declined (21, SIP 403)', { cause: 21, sipCode: 403 }],
    ['unallocated number (1, SIP 404)', { cause: 1, sipCode: 404 }],
    ['no answer (19, SIP 480)', { cause: 19, sipCode: 480 }],
    ['rang out with no final Dial', { cause: 19 }],
    ['cancelled (16)', { cause: 16 }],
    ['unknown cause 127 (SIP 487)', { cause: 127, sipCode: 487 }],
    ['nothing known at all', {}],
  ];
  for (const [what, f] of person) it(`${what}: never another trunk`, () => expect(legFate(end(f))).to.equal('person'));

  it('a 503 after the phone rang is not the carrier refusing the call', () => {
    expect(legFate(end({ rang: true, cause: 34, sipCode: 503 }))).to.equal('person');
  });
});
