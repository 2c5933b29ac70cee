import { expect } from 'chai';
import { prompt, PromptOptions } from '../../../src/ivr/prompt';
import type { CallEnd, LegEvents, Playback } from '../../../src/telephony';
import { FakeClock } from '../../fakes/clock';

/** A leg whose playbacks finish when the test says so. */
class ScriptedLeg {
  plays: string[][] = [];
  stops: string[] = [];
  private finishers = new Map<string, (s: 'done' | 'failed') => void>();
  private listeners: { [K in keyof LegEvents]: Set<LegEvents[K]> } = {
    ringing: new Set(),
    answered: new Set(),
    dtmf: new Set(),
    ended: new Set(),
    talk: new Set(),
  };
  private end: CallEnd | null = null;
  playError: Error | null = null;

  ended(): CallEnd | null {
    return this.end;
  }
  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    (this.listeners[ev] as Set<LegEvents[E]>).add(fn);
  }
  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    (this.listeners[ev] as Set<LegEvents[E]>).delete(fn);
  }
  listenerCount(): number {
    return this.listeners.dtmf.size + this.listeners.ended.size + this.listeners.answered.size;
  }
  async play(media: string[]): Promise<Playback> {
    if (this.playError) throw this.playError;
    const id = `pb${this.plays.length}`;
    this.plays.push(media);
    const finished = new Promise<'done' | 'failed'>((r) => this.finishers.set(id, r));
    return {
      id,
      finished,
      stop: async () => {
        this.stops.push(id);
        this.finishers.get(id)?.('done');
      },
    };
  }
  finishPlayback(i: number, state: 'done' | 'failed' = 'done'): void {
    this.finishers.get(`pb${i}`)?.(state);
  }
  press(d: string): void {
    for (const fn of [...this.listeners.dtmf]) fn(d);
  }
  hangup(): void {
    this.end = { outcome: 'answered', answered: true, cause: 16, causeText: 'Normal Clearing', dialStatus: 'ANSWER' };
    for (const fn of [...this.listeners.ended]) fn(this.end);
    this.finishPlayback(this.plays.length - 1, 'failed');
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('prompt helper (unit, fake clock)', () => {
  let clock: FakeClock;
  let leg: ScriptedLeg;
  const base: PromptOptions = { media: ['sound:menu'], firstDigitTimeoutMs: 10_000, interDigitTimeoutMs: 3000 };
  beforeEach(() => {
    clock = new FakeClock();
    leg = new ScriptedLeg();
  });
  afterEach(() => {
    expect(leg.listenerCount(), 'listeners left').to.equal(0);
    expect(clock.pending(), 'timers left').to.equal(0);
  });

  it('barge-in: a digit during the media stops it and counts', async () => {
    const p = prompt(leg, clock, base);
    await flush();
    leg.press('1');
    expect(await p).to.deep.equal({ status: 'digits', digits: '1' });
    expect(leg.stops).to.deep.equal(['pb0']);
  });

  it('a cancel signal (the call found a machine) ends it at once: the media stops, status cancelled, nothing left behind', async () => {
    const cut = new AbortController();
    const p = prompt(leg, clock, { ...base, signal: cut.signal });
    await flush();
    cut.abort();
    expect(await p).to.deep.equal({ status: 'cancelled', digits: '' });
    expect(leg.stops).to.deep.equal(['pb0']);
    expect(await prompt(leg, clock, { ...base, signal: cut.signal })).to.deep.equal({ status: 'cancelled', digits: '' });
    expect(leg.plays).to.have.length(1);
  });

  it('without barge-in, digits during the media are ignored', async () => {
    const p = prompt(leg, clock, { ...base, bargeIn: false });
    await flush();
    leg.press('1');
    leg.finishPlayback(0);
    await flush();
    leg.press('2');
    expect(await p).to.deep.equal({ status: 'digits', digits: '2' });
    expect(leg.stops).to.deep.equal([]);
  });

  it('replays the media when nothing is pressed, then times out', async () => {
    const p = prompt(leg, clock, { ...base, replays: 2 });
    for (let i = 0; i < 3; i++) {
      await flush();
      leg.finishPlayback(i);
      await clock.advance(10_000);
    }
    expect(await p).to.deep.equal({ status: 'timeout', digits: '' });
    expect(leg.plays).to.have.length(3);
  });

  it('collects several digits up to the terminator, which is not part of them', async () => {
    const p = prompt(leg, clock, { ...base, maxDigits: 6 });
    await flush();
    leg.finishPlayback(0);
    await flush();
    for (const d of '123#') leg.press(d);
    expect(await p).to.deep.equal({ status: 'digits', digits: '123' });
  });

  it('between-digit timeout returns the digits so far', async () => {
    const p = prompt(leg, clock, { ...base, maxDigits: 4 });
    await flush();
    leg.press('4');
    leg.press('2');
    await clock.advance(2999);
    leg.press('7');
    await clock.advance(3000);
    expect(await p).to.deep.equal({ status: 'digits', digits: '427' });
  });

  it('overall timeout stops the media and ends the prompt', async () => {
    const p = prompt(leg, clock, { ...base, overallTimeoutMs: 4000 });
    await flush();
    await clock.advance(4000);
    expect(await p).to.deep.equal({ status: 'timeout', digits: '' });
    expect(leg.stops).to.deep.equal(['pb0']);
  });

  it('hangup during the media: status hangup, nothing left behind', async () => {
    const p = prompt(leg, clock, base);
    await flush();
    leg.hangup();
    expect(await p).to.deep.equal({ status: 'hangup', digits: '' });
  });

  it('a play error becomes status error, never a throw', async () => {
    leg.playError = new Error('Channel not in Stasis application');
    const r = await prompt(leg, clock, base);
    expect(r.status).to.equal('error');
    expect((r.error as Error).message).to.match(/Stasis/);
  });

  it('a leg that already ended returns hangup at once', async () => {
    leg.hangup();
    expect(await prompt(leg, clock, base)).to.deep.equal({ status: 'hangup', digits: '' });
    expect(leg.plays).to.have.length(0);
  });

  it('ignores digits outside validDigits', async () => {
    const p = prompt(leg, clock, { ...base, validDigits: '0123456789' });
    await flush();
    leg.press('*');
    leg.press('5');
    expect(await p).to.deep.equal({ status: 'digits', digits: '5' });
  });
});
