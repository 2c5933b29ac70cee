import { expect } from 'chai';
import { DetectEffect, DetectEvent, DetectSettings, DetectState, nextDetect, startDetect } from '../../../src/voicemail/detect';
import { detectSettings } from '../../../src/voicemail/watch';
import { voicemailSectionDefaults } from '../../../src/voicemail/config';

const S: DetectSettings = {
  machineTalkMs: 2500,
  silenceMs: 1000,
  totalTalkMs: 4000,
  windowMs: 8000,
  endSilenceMs: 300,
  maxGreetingMs: 30_000,
};

/** Plays a script of events at times (ms after the answer at 0), firing every due tick in between like the driver's timer. */
function run(
  script: Array<[number, DetectEvent]>,
  until: number,
  s = S,
): { effects: Array<DetectEffect & { at: number }>; state: DetectState } {
  let st = startDetect(0, s);
  const effects: Array<DetectEffect & { at: number }> = [];
  const apply = (ev: DetectEvent, at: number) => {
    const t = nextDetect(st, ev, at, s);
    st = t.next;
    effects.push(...t.effects.map((e) => ({ ...e, at })));
  };
  const tickUntil = (limit: number) => {
    while (st.wakeAt !== null && st.wakeAt <= limit) apply({ type: 'tick' }, st.wakeAt);
  };
  for (const [at, ev] of script) {
    tickUntil(at);
    apply(ev, at);
  }
  tickUntil(until);
  return { effects, state: st };
}

const start = { type: 'talk-start' } as const;
const end = (durationMs: number): DetectEvent => ({ type: 'talk-end', durationMs });

describe('voicemail detection (pure machine)', () => {
  it('the defaults the config documents are the ones the machine gets', () => {
    expect(detectSettings(voicemailSectionDefaults())).to.deep.equal(S);
  });

  it('a mailbox greeting that talks on is a machine once it has surely talked machineTalkMs, and the message waits for its end plus a short quiet', () => {
    // vm-intro + beep on the bench: talk from 0.6 s for 5.98 s; Finished comes a silence threshold (1 s) later.
    const { effects, state } = run(
      [
        [600, start],
        [7577, end(5977)],
      ],
      40_000,
    );
    expect(effects).to.deep.equal([
      { type: 'machine', why: 'talking for 2500 ms without a pause', afterMs: 4100, at: 4100 },
      { type: 'leave-message', why: 'greeting ended', at: 7877 },
    ]);
    expect(state.phase).to.equal('leave-message');
    expect(state.wakeAt).to.equal(null);
  });

  it('a short "hello?" followed by listening is a person, decided when the window ends', () => {
    const { effects } = run(
      [
        [300, start],
        [1884, end(584)],
      ],
      20_000,
    );
    expect(effects).to.deep.equal([{ type: 'person', why: 'only 584 ms of talk within 8000 ms', at: 8000 }]);
  });

  it('a person who says a two-second "hello, this is…" is not cut off: the end of talk is heard a silence threshold late', () => {
    const { effects } = run(
      [
        [300, start],
        [3300, end(2000)],
      ],
      20_000,
    );
    expect(effects.map((e) => e.type)).to.deep.equal(['person']);
  });

  it('silence is a person (the answered-without-digit call stays as it was)', () => {
    expect(run([], 20_000).effects).to.deep.equal([{ type: 'person', why: 'silent: listening', at: 8000 }]);
  });

  it('a digit at any time is a person, even halfway through a long talk', () => {
    const { effects } = run(
      [
        [500, start],
        [2000, { type: 'digit' }],
      ],
      20_000,
    );
    expect(effects).to.deep.equal([{ type: 'person', why: 'a digit was pressed', at: 2000 }]);
  });

  it('a greeting chopped by pauses is a machine once its talk adds up to totalTalkMs', () => {
    const { effects } = run(
      [
        [200, start],
        [3000, end(1800)],
        [3200, start],
        [5400, end(1200)],
        [5600, start],
      ],
      9000,
    );
    expect(effects[0]).to.deep.equal({ type: 'machine', why: 'talked 4000 ms in all', afterMs: 7600, at: 7600 });
  });

  it('a talk stretch that begins inside the window is judged to its end, not cut at the window', () => {
    const { effects } = run([[7500, start]], 20_000);
    expect(effects[0]).to.deep.include({ type: 'machine', at: 11_000 });
  });

  it('a talk-finished that reports a long stretch (its start was missed) is a machine whose greeting is already over', () => {
    const { effects } = run([[4000, end(3500)]], 20_000);
    expect(effects).to.deep.equal([
      { type: 'machine', why: 'talked 3500 ms without a pause', afterMs: 4000, at: 4000 },
      { type: 'leave-message', why: 'greeting ended', at: 4300 },
    ]);
  });

  it('talk that resumes during the quiet before the message (the beep after a pause) waits for it to end', () => {
    const { effects } = run(
      [
        [0, start],
        [4800, end(3800)],
        [5000, start],
        [6500, end(500)],
      ],
      20_000,
    );
    expect(effects.map((e) => [e.type, e.at])).to.deep.equal([
      ['machine', 3500],
      ['leave-message', 6800],
    ]);
  });

  it('a greeting that never ends is bounded: the message is left after maxGreetingMs', () => {
    const { effects } = run([[0, start]], 60_000);
    expect(effects.map((e) => [e.type, e.at])).to.deep.equal([
      ['machine', 3500],
      ['leave-message', 33_500],
    ]);
    expect(effects[1]).to.deep.include({ why: 'greeting still going after 30000 ms' });
  });

  it('a digit while the greeting runs after a machine verdict makes it a person after all', () => {
    const { effects } = run(
      [
        [0, start],
        [4000, { type: 'digit' }],
      ],
      60_000,
    );
    expect(effects.map((e) => e.type)).to.deep.equal(['machine', 'person']);
  });

  it('nothing more happens after a verdict of person', () => {
    const { effects } = run(
      [
        [9000, start],
        [20_000, end(11_000)],
      ],
      60_000,
    );
    expect(effects.map((e) => e.type)).to.deep.equal(['person']);
  });

  it('with no quiet asked for, the message starts as the greeting ends', () => {
    const s = { ...S, endSilenceMs: 0 };
    const { effects } = run(
      [
        [0, start],
        [4800, end(3800)],
      ],
      20_000,
      s,
    );
    expect(effects.map((e) => [e.type, e.at])).to.deep.equal([
      ['machine', 3500],
      ['leave-message', 4800],
    ]);
  });
});
