import { expect } from 'chai';
import { prompt } from '../../../src/ivr/prompt';
import { TypeAhead } from '../../../src/ivr/type-ahead';
import type { LegEvents, Playback } from '../../../src/telephony';
import { FakeClock } from '../../fakes/clock';

/** Just enough of a leg: DTMF listeners and playbacks that finish when told. */
class Leg {
  plays: string[][] = [];
  dtmf = new Set<LegEvents['dtmf']>();
  ended_ = new Set<LegEvents['ended']>();
  private finishers: Array<() => void> = [];
  ended() {
    return null;
  }
  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    if (ev === 'dtmf') this.dtmf.add(fn as LegEvents['dtmf']);
    if (ev === 'ended') this.ended_.add(fn as LegEvents['ended']);
  }
  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    if (ev === 'dtmf') this.dtmf.delete(fn as LegEvents['dtmf']);
    if (ev === 'ended') this.ended_.delete(fn as LegEvents['ended']);
  }
  async play(media: string[]): Promise<Playback> {
    this.plays.push(media);
    const finished = new Promise<'done' | 'failed'>((r) => this.finishers.push(() => r('done')));
    return { id: `pb${this.plays.length}`, finished, stop: async () => this.finishers[this.finishers.length - 1]?.() };
  }
  finishLast(): void {
    this.finishers[this.finishers.length - 1]?.();
  }
  press(digits: string): void {
    for (const d of digits) for (const fn of [...this.dtmf]) fn(d);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('type-ahead: digits pressed between two prompts', () => {
  let clock: FakeClock;
  let leg: Leg;
  let ahead: TypeAhead;
  beforeEach(() => {
    clock = new FakeClock();
    leg = new Leg();
    ahead = new TypeAhead(leg, clock);
  });
  afterEach(() => {
    ahead.dispose();
    expect(leg.dtmf.size, 'dtmf listeners left').to.equal(0);
    expect(clock.pending(), 'timers left').to.equal(0);
  });

  it('3 then 1 in one go: the first prompt takes 3, the second takes 1 without playing its list', async () => {
    const menu = prompt(leg, clock, { media: ['sound:menu'], typeAhead: ahead, terminator: null });
    await flush();
    leg.press('31'); // both arrive while the menu listens: it takes 3 and stops; 1 is pressed ahead
    expect(await menu).to.deep.equal({ status: 'digits', digits: '3' });
    const list = await prompt(leg, clock, { media: ['sound:list'], typeAhead: ahead, terminator: null, validDigits: '123' });
    expect(list).to.deep.equal({ status: 'digits', digits: '1' });
    expect(leg.plays).to.deep.equal([['sound:menu']]);
  });

  it('without the buffer the second digit is lost (the case this exists for)', async () => {
    ahead.dispose();
    const menu = prompt(leg, clock, { media: ['sound:menu'], terminator: null });
    await flush();
    leg.press('31');
    expect((await menu).digits).to.equal('3');
    const list = prompt(leg, clock, { media: ['sound:list'], terminator: null, firstDigitTimeoutMs: 1000 });
    await flush();
    expect(leg.plays).to.deep.equal([['sound:menu'], ['sound:list']]);
    leg.finishLast();
    await flush();
    await clock.advance(1000);
    expect(await list).to.deep.equal({ status: 'timeout', digits: '' });
    ahead = new TypeAhead(leg, clock); // for afterEach
  });

  it('a PIN typed in part ahead waits for the rest instead of asking again', async () => {
    leg.press('12');
    const pin = prompt(leg, clock, { media: ['sound:pin'], typeAhead: ahead, maxDigits: 8, terminator: '#', interDigitTimeoutMs: 5000 });
    await flush();
    expect(leg.plays).to.deep.equal([]);
    leg.press('34#');
    expect(await pin).to.deep.equal({ status: 'digits', digits: '1234' });
  });

  it('digits the next prompt does not accept are dropped, valid ones still count', async () => {
    leg.press('9');
    leg.press('2');
    expect(await prompt(leg, clock, { media: ['sound:list'], typeAhead: ahead, terminator: null, validDigits: '12' })).to.deep.equal({
      status: 'digits',
      digits: '2',
    });
  });

  it('forgets digits older than 10 s and keeps at most 8', async () => {
    leg.press('7');
    await clock.advance(10_001);
    expect(ahead.take()).to.equal('');
    leg.press('0123456789');
    expect(ahead.take()).to.equal('23456789');
    expect(ahead.take()).to.equal('');
  });

  it('while a prompt listens, digits are not also buffered for the next one', async () => {
    const menu = prompt(leg, clock, { media: ['sound:menu'], typeAhead: ahead, maxDigits: 2, terminator: null });
    await flush();
    leg.press('12');
    expect((await menu).digits).to.equal('12');
    expect(ahead.take()).to.equal('');
  });
});
