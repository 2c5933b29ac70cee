import { expect } from 'chai';
import { changes, dueReminders, lastEndBetween, stretchAt, stretches } from '../../../src/watchers/shifts/model';
import type { FinalShift } from '../../../src/oncall';

const T = (iso: string) => Date.parse(iso);
const row = (user: string, start: string, end: string): FinalShift => ({
  user_pk: user,
  user_email: `${user.toLowerCase()}@example.com`,
  user_username: user,
  shift_start: start,
  shift_end: end,
});
const sets = (o: Record<string, string[]>) => new Map(Object.entries(o).map(([k, v]) => [k, new Set(v)]));

describe('shifts: changes()', () => {
  const now = T('2026-11-21T09:00:02Z');

  it('reports who went on and who went off call', () => {
    const out = changes(sets({ S1: ['A', 'B'] }), sets({ S1: ['B', 'C'] }), now);
    expect(out).to.deep.equal([
      { scheduleId: 'S1', userPk: 'C', kind: 'on', at: now },
      { scheduleId: 'S1', userPk: 'A', kind: 'off', at: now },
    ]);
  });

  it('treats a schedule never seen before as a baseline, not as everyone going on call', () => {
    expect(changes(sets({}), sets({ S1: ['A'] }), now)).to.deep.equal([]);
  });

  it('says nothing about a schedule that could not be read this time', () => {
    expect(changes(sets({ S1: ['A'] }), sets({}), now)).to.deep.equal([]);
  });

  it('keeps schedules apart: the same person in two schedules changes in one only', () => {
    const out = changes(sets({ S1: ['A'], S2: [] }), sets({ S1: ['A'], S2: ['A'] }), now);
    expect(out).to.deep.equal([{ scheduleId: 'S2', userPk: 'A', kind: 'on', at: now }]);
  });

  it('reports nothing when nobody changed', () => {
    expect(changes(sets({ S1: ['A', 'B'] }), sets({ S1: ['B', 'A'] }), now)).to.deep.equal([]);
  });
});

describe('shifts: stretches from final_shifts', () => {
  const window = { from: T('2026-11-20T00:00:00Z'), to: T('2026-11-30T00:00:00Z') };

  it("merges a person's back-to-back shifts and keeps other people apart", () => {
    const all = stretches(
      [
        row('A', '2026-11-21T09:00:00Z', '2026-11-21T21:00:00Z'),
        row('B', '2026-11-21T21:00:00Z', '2026-11-22T09:00:00Z'),
        row('A', '2026-11-21T21:00:00Z', '2026-11-22T09:00:00Z'),
      ],
      window,
    );
    expect(all.map((s) => [s.userPk, new Date(s.start).toISOString(), new Date(s.end).toISOString()])).to.deep.equal([
      ['A', '2026-11-21T09:00:00.000Z', '2026-11-22T09:00:00.000Z'],
      ['B', '2026-11-21T21:00:00.000Z', '2026-11-22T09:00:00.000Z'],
    ]);
  });

  it('marks shifts cut by the window edges and drops malformed rows', () => {
    const all = stretches(
      [
        row('A', '2026-11-20T00:00:00Z', '2026-11-21T09:00:00Z'),
        row('B', '2026-11-29T09:00:00Z', '2026-11-30T00:00:00Z'),
        row('C', 'nonsense', '2026-11-21T09:00:00Z'),
      ],
      window,
    );
    expect(all.map((s) => [s.userPk, s.startClipped, s.endClipped])).to.deep.equal([
      ['A', true, false],
      ['B', false, true],
    ]);
  });

  it('finds the stretch covering a moment and the latest end in a range', () => {
    const all = stretches(
      [row('A', '2026-11-21T09:00:00Z', '2026-11-21T21:00:00Z'), row('A', '2026-11-22T09:00:00Z', '2026-11-22T21:00:00Z')],
      window,
    );
    expect(stretchAt(all, 'A', T('2026-11-21T09:00:00Z'))?.end).to.equal(T('2026-11-21T21:00:00Z'));
    expect(stretchAt(all, 'A', T('2026-11-21T21:00:00Z'))).to.equal(null);
    expect(stretchAt(all, 'B', T('2026-11-21T10:00:00Z'))).to.equal(null);
    expect(lastEndBetween(all, 'A', T('2026-11-21T09:00:00Z'), T('2026-11-23T00:00:00Z'))).to.equal(T('2026-11-22T21:00:00Z'));
    expect(lastEndBetween(all, 'A', T('2026-11-21T09:00:00Z'), T('2026-11-22T12:00:00Z'))).to.equal(T('2026-11-21T21:00:00Z'));
  });
});

describe('shifts: dueReminders()', () => {
  const window = { from: T('2026-11-21T08:45:00Z'), to: T('2026-11-21T09:01:00Z') };
  const all = stretches(
    [row('A', '2026-11-21T09:00:00Z', '2026-11-21T21:00:00Z'), row('B', '2026-11-21T09:00:00Z', '2026-11-21T21:00:00Z')],
    window,
  );
  const lead = 15 * 60_000;

  it('is due once the start is within the lead, and not before', () => {
    expect(dueReminders(all, T('2026-11-21T08:44:02Z'), lead, new Set()).map((s) => s.userPk)).to.deep.equal([]);
    expect(dueReminders(all, T('2026-11-21T08:45:02Z'), lead, new Set()).map((s) => s.userPk)).to.deep.equal(['A', 'B']);
  });

  it('skips people already on call and shifts that already began; off when the lead is 0', () => {
    expect(dueReminders(all, T('2026-11-21T08:50:02Z'), lead, new Set(['A'])).map((s) => s.userPk)).to.deep.equal(['B']);
    expect(dueReminders(all, T('2026-11-21T09:00:02Z'), lead, new Set())).to.deep.equal([]);
    expect(dueReminders(all, T('2026-11-21T08:50:02Z'), 0, new Set())).to.deep.equal([]);
  });
});
