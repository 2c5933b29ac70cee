import { expect } from 'chai';
import { silentLogger } from '../../../src/core/log';
import type { CallEnd, LegEvents } from '../../../src/telephony';
import { voicemailSectionDefaults } from '../../../src/voicemail/config';
import { VoicemailWatch, talkDetectOf } from '../../../src/voicemail/watch';
import { FakeClock } from '../../fakes/clock';

/** A leg that only carries events: the test says when the far end talks, presses or hangs up. */
class EventLeg {
  talkingNow = false;
  private end: CallEnd | null = null;
  private listeners: { [K in keyof LegEvents]: Set<LegEvents[K]> } = {
    ringing: new Set(),
    answered: new Set(),
    dtmf: new Set(),
    ended: new Set(),
    talk: new Set(),
  };
  ended(): CallEnd | null {
    return this.end;
  }
  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    (this.listeners[ev] as Set<LegEvents[E]>).add(fn);
  }
  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    (this.listeners[ev] as Set<LegEvents[E]>).delete(fn);
  }
  isTalking(): boolean {
    return this.talkingNow;
  }
  talk(talking: boolean, durationMs = 0): void {
    this.talkingNow = talking;
    for (const fn of this.listeners.talk) fn(talking ? { talking: true } : { talking: false, durationMs });
  }
  press(d: string): void {
    for (const fn of this.listeners.dtmf) fn(d);
  }
  hangup(): void {
    this.end = { outcome: 'answered', answered: true, cause: 16, causeText: 'Normal Clearing', dialStatus: null };
    for (const fn of this.listeners.ended) fn(this.end);
  }
  count(): number {
    return Object.values(this.listeners).reduce((n, s) => n + s.size, 0);
  }
}

function settled<T>(p: Promise<T>): { value: T | undefined } {
  const box: { value: T | undefined } = { value: undefined };
  void p.then((v) => (box.value = v));
  return box;
}

describe('voicemail watch on a leg (fake clock)', () => {
  let clock: FakeClock;
  let leg: EventLeg;
  beforeEach(() => {
    clock = new FakeClock();
    leg = new EventLeg();
  });

  it('the originate asks for talk events with the configured silence; a long talk becomes a machine on the clock, then the message after the quiet', async () => {
    expect(talkDetectOf(voicemailSectionDefaults())).to.deep.equal({ silenceMs: 1000, talkingThreshold: null });
    expect(talkDetectOf({ ...voicemailSectionDefaults(), silence_ms: 1500, talking_threshold: 300 })).to.deep.equal({
      silenceMs: 1500,
      talkingThreshold: 300,
    });
    const watch = new VoicemailWatch(leg, clock, voicemailSectionDefaults(), silentLogger());
    watch.start();
    const machine = settled(watch.machine);
    leg.talk(true);
    await clock.advance(3499);
    expect(machine.value).to.equal(undefined);
    await clock.advance(1);
    expect(machine.value).to.deep.equal({ why: 'talking for 2500 ms without a pause', afterMs: 3500 });
    const end = settled(watch.greetingEnd());
    await clock.advance(2000);
    leg.talk(false, 4500);
    await clock.advance(299);
    expect(end.value).to.equal(undefined);
    await clock.advance(1);
    expect(end.value).to.equal('leave-message');
    watch.dispose();
    expect(leg.count()).to.equal(0);
  });

  it('silence until the window ends is a person: the machine promise never resolves', async () => {
    const watch = new VoicemailWatch(leg, clock, voicemailSectionDefaults(), silentLogger());
    watch.start();
    const machine = settled(watch.machine);
    await clock.advance(60_000);
    expect(watch.verdict).to.equal('person');
    expect(machine.value).to.equal(undefined);
    watch.dispose();
  });

  it('a talk already going when it starts (a greeting that ran on from the ringback) counts from the start', async () => {
    leg.talkingNow = true;
    const watch = new VoicemailWatch(leg, clock, voicemailSectionDefaults(), silentLogger());
    watch.start();
    const machine = settled(watch.machine);
    await clock.advance(3500);
    expect(machine.value).to.deep.equal({ why: 'talking for 2500 ms without a pause', afterMs: 3500 });
    watch.dispose();
  });

  it('with no talk events at all (an Asterisk that dropped the detection at the originate) the call goes on as a person', async () => {
    const watch = new VoicemailWatch(leg, clock, voicemailSectionDefaults(), silentLogger());
    watch.start();
    await clock.advance(10_000);
    expect(watch.verdict).to.equal('person');
    watch.dispose();
  });

  it('a digit after the machine verdict is a person after all; a hang-up ends the wait', async () => {
    const watch = new VoicemailWatch(leg, clock, voicemailSectionDefaults(), silentLogger());
    watch.start();
    leg.talk(true);
    await clock.advance(4000);
    const end = settled(watch.greetingEnd());
    leg.press('1');
    await clock.advance(0);
    expect(end.value).to.equal('person');
    const other = new VoicemailWatch(leg, clock, voicemailSectionDefaults(), silentLogger());
    other.start();
    leg.talk(true);
    await clock.advance(4000);
    const hung = settled(other.greetingEnd());
    leg.hangup();
    await clock.advance(0);
    expect(hung.value).to.equal('hangup');
    watch.dispose();
  });
});
