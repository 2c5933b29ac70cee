import { expect } from 'chai';
import { textHold, TextSendRecord } from '../../../src/limits';

const MIN = 60_000;
const RULES = [{ count: 3, windowMs: 15 * MIN }];
const NOW = 100 * MIN;
const sent = (minutesAgo: number, alertGroupId: string | null = 'IA'): TextSendRecord => ({
  callId: `c${minutesAgo}`,
  startedAt: NOW - minutesAgo * MIN,
  alertGroupId,
});
const hold = (groups: (string | null)[], history: TextSendRecord[]) =>
  textHold({ rules: RULES, pages: groups.map((alertGroupId) => ({ alertGroupId })), history, now: NOW });

describe('textHold: the SMS allowance bounds repeats, not new incidents', () => {
  it('the gap: any text waits until 20 s after the last one, so a storm becomes a few bundles', () => {
    const h = hold(['IB'], [{ ...sent(0), startedAt: NOW - 5_000 }]);
    expect(h).to.deep.equal({ until: NOW + 15_000, kind: 'gap', reason: 'texts to one person go out at least 20 s apart' });
  });

  it('a page about a new or unidentified alert group goes out although the allowance is spent', () => {
    const spent = [sent(6, 'IX'), sent(4, 'IY'), sent(1, 'IZ')];
    expect(hold(['IB'], spent)).to.equal(null);
    expect(hold([null], spent)).to.equal(null);
    expect(hold(['IX', 'IB'], spent), 'a repeat rides along with a new incident').to.equal(null);
  });

  it('a repeat within 2 minutes of the last text waits for the bundle', () => {
    expect(hold(['IA'], [sent(1)])).to.deep.include({ until: NOW + MIN, kind: 'bundle' });
  });

  it('repeats only are held by the per-person rule until the oldest counted text leaves the window', () => {
    const h = hold(['IA'], [sent(10), sent(6, 'IB'), sent(3)]);
    expect(h).to.deep.include({ until: NOW + 5 * MIN, kind: 'repeat' });
    expect(h!.reason).to.match(/sms limit 3\/15m per person/);
  });

  it('a bundle counts once: several pages sharing one message are one send', () => {
    const bundle = [sent(10), { ...sent(10), alertGroupId: 'IB' }, { ...sent(10), alertGroupId: 'IC' }, sent(3)];
    expect(hold(['IA'], bundle)).to.equal(null);
  });

  it('an alert group texted about before the window is new again', () => {
    expect(hold(['IA'], [sent(20), sent(16, 'IB'), sent(5, 'IB'), sent(3, 'IB')])).to.equal(null);
  });
});
