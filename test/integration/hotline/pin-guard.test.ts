import { expect } from 'chai';
import { HotlineHarness, makeHotlineHarness } from './harness';
import { maskPhone } from '../../../src/core/mask';

const isTts = (re: RegExp) => (s: string) => s.startsWith('tts:') && re.test(s);
const isPrompt = (id: string) => (s: string) => s === `prompt:${id}`;
const WHO = /last four digits of your phone number/;
const LOCKED = /Too many wrong PINs/;

describe('hotline: wrong PINs are counted across calls (fake Asterisk, real SQLite)', () => {
  let h: HotlineHarness;
  afterEach(async () => h.close());

  /** One call from `from` that types each entry at the who-are-you prompt (`<who>*<PIN>#`) and hears it refused. */
  async function guess(from: string, entries: string[]) {
    const caller = h.call(from);
    let at = 0;
    for (const e of entries) {
      at = await h.waitHeard(caller, isTts(WHO), at);
      caller.press(e);
      at = (await h.waitHeard(caller, isPrompt('wrong_pin'), at)) + 1;
    }
    return caller;
  }

  it('a number that guessed wrong too often is refused in its next calls, even with the right PIN; the admins are told once', async () => {
    h = await makeHotlineHarness({ public: false, pinLimits: { perNumber: 4, overall: 100 } });
    // Call 1: three wrong guesses at Bob (the per-call limit ends the call).
    const c1 = await guess('+15557654321', ['0002*0000#', '0002*1111#', '0002*2222#']);
    await c1.expectHangup();
    expect(await h.reports[0]).to.include({ outcome: 'wrong-pin' });
    // Call 2: one more wrong guess reaches the limit of 4; the next try is refused without a prompt.
    const c2 = await guess('+15557654321', ['0002*3333#']);
    await h.waitHeard(c2, isTts(LOCKED));
    await c2.expectHangup();
    expect(await h.reports[1]).to.include({ outcome: 'pin-locked', verified: false });
    // Call 3 from the same number: Bob's right PIN is never even asked for.
    const c3 = h.call('+15557654321');
    await h.waitHeard(c3, isTts(LOCKED));
    await h.waitHeard(c3, isPrompt('goodbye'));
    await c3.expectHangup();
    expect(h.heard(c3).filter(isTts(WHO))).to.deep.equal([]);
    expect(await h.reports[2]).to.include({ outcome: 'pin-locked', userEmail: null });
    expect(h.adminNotices).to.have.length(1);
    expect(h.adminNotices[0]).to.include('4 wrong PINs').and.include(maskPhone('+15557654321')).and.not.include('+15557654321');

    // Another number is not affected: Bob calling from a colleague's desk gets in.
    const other = h.call('+15559990000');
    await h.waitHeard(other, isTts(WHO));
    other.press('0002*5678#');
    await h.waitHeard(other, isPrompt('hotline_menu'));
    other.hangup();
    expect(await h.reports[3]).to.include({ verified: true, userEmail: 'bob@example.com' });
  });

  it('past the overall limit unknown numbers are refused, while engineers calling from their own phones still enter their PIN', async () => {
    h = await makeHotlineHarness({ public: false, section: { require_pin: true }, pinLimits: { perNumber: 10, overall: 3 } });
    for (const [i, from] of ['+15557000001', '+15557000002', '+15557000003'].entries()) {
      const c = await guess(from, ['0001*0000#']);
      c.hangup();
      await h.reports[i];
    }
    const fresh = h.call('+15557000004');
    await h.waitHeard(fresh, isTts(LOCKED));
    await fresh.expectHangup();
    expect(await h.reports[3]).to.include({ outcome: 'pin-locked' });
    expect(h.adminNotices).to.have.length(1);
    expect(h.adminNotices[0]).to.include('3 wrong PINs within an hour from all callers');

    const alice = h.call('+15550000001'); // known by caller ID; require_pin asks for her own PIN
    await h.waitHeard(alice, isPrompt('enter_pin'));
    alice.press('1234#');
    await h.waitHeard(alice, isPrompt('hotline_menu'));
    alice.hangup();
    expect(await h.reports[4]).to.include({ verified: true, userEmail: 'alice@example.com' });
    expect(h.adminNotices, 'told once, not per refused call').to.have.length(1);
  });

  it('silence is not a guess: it ends the call after three tries but does not count across calls', async () => {
    h = await makeHotlineHarness({ public: false, pinLimits: { perNumber: 1, overall: 1 } });
    const c = h.call('+15557654321');
    await h.waitHeard(c, isPrompt('goodbye'), 0, 10_000); // three PIN timeouts of 1.5 s
    await c.expectHangup();
    expect(await h.reports[0]).to.include({ outcome: 'wrong-pin' });
    expect(await h.tdb.db('hotline_pin_failures').count({ n: '*' })).to.deep.equal([{ n: 0 }]);
    expect(h.adminNotices).to.deep.equal([]);
  });

  it("an unknown caller's guess is checked against the one person they name: another user's PIN does not open them", async () => {
    h = await makeHotlineHarness({ public: false });
    const c = h.call('+15557654321');
    let at = await h.waitHeard(c, isTts(WHO));
    c.press('0002*1234#'); // Bob's digits, Alice's PIN
    at = await h.waitHeard(c, isPrompt('wrong_pin'), at);
    c.hangup();
    expect(await h.reports[0]).to.include({ verified: false, userEmail: null });
    expect(await h.tdb.db('hotline_pin_failures').count({ n: '*' })).to.deep.equal([{ n: 1 }]);
  });
});

describe('hotline: a caller known only by caller ID is announced as unverified', () => {
  let h: HotlineHarness;
  afterEach(async () => h.close());

  async function announcement(pressPinFirst: boolean): Promise<string> {
    h = await makeHotlineHarness({ public: true });
    h.oncall.state.addAlertGroup({ integrationId: h.integrationId, title: 'Disk full on db-1' });
    const carol = h.asterisk.phone('1001').willAnswerAfter(100);
    const caller = h.call('+15550000001'); // Alice's phone
    let at = await h.waitHeard(caller, isPrompt('hotline_menu'));
    if (pressPinFirst) {
      caller.press('5'); // acknowledging asks for her PIN: now she is verified
      at = await h.waitHeard(caller, isPrompt('enter_pin'), at);
      caller.press('1234#');
      at = await h.waitHeard(caller, isPrompt('hotline_menu'), at + 1);
    }
    caller.press('9');
    const call = await carol.expectCall(3000);
    await call.expectPlayback(/^sound:tts\//);
    const said = h.tts.texts[Number(/(\d+)$/.exec(call.played()[0])![1])];
    call.hangup();
    await caller.expectHangup();
    return said;
  }

  it('caller ID alone: "going by caller ID only, not verified"', async () => {
    expect(await announcement(false)).to.equal(
      'Hotline call from Alice Smith, going by caller ID only, not verified, about: Disk full on db-1. Connecting you now.',
    );
  });

  it('after her PIN: her name alone', async () => {
    expect(await announcement(true)).to.match(/^Hotline call from Alice Smith, about: /);
  });
});
