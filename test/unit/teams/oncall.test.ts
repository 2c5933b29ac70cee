/**
 * Who is on call, computed in each schedule's own time zone: hand-offs across daylight-saving
 * changes (Berlin, New York, and Moscow without DST), restrictions, overrides, boundaries and
 * rotations that have not started yet.
 */
import { expect } from 'chai';
import type { Override, Restriction, Rotation, Schedule } from '../../../src/teams/model';
import { nextOnCall, onCallAt, timeline } from '../../../src/teams/oncall';
import { handOff, rawShifts, shiftIndexAt } from '../../../src/teams/shifts';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const ms = (s: string) => Date.parse(s);

function rotation(p: Partial<Rotation> & { startsAt: number }): Rotation {
  return { id: 'r1', name: 'primary', participants: [1, 2, 3], endsAt: null, length: 1, unit: 'days', restrictions: [], ...p };
}

function schedule(timeZone: string, rotations: Rotation[], overrides: Override[] = []): Schedule {
  return { id: 's1', name: 'db', teamId: 't1', timeZone, enabled: true, rotations, overrides };
}

/** Hand-off instants (UTC) in [from, to). */
function handOffs(rot: Rotation, zone: string, from: string, to: string): string[] {
  const out: string[] = [];
  for (let k = shiftIndexAt(rot, zone, ms(from)); handOff(rot, zone, k) < ms(to); k++)
    if (handOff(rot, zone, k) >= ms(from)) out.push(iso(handOff(rot, zone, k)));
  return out;
}

describe('on call: daily hand-offs across daylight-saving changes', () => {
  it('Europe/Berlin: a 09:00 hand-off stays at 09:00 local through spring forward (a 23 h shift) and fall back (25 h)', () => {
    const rot = rotation({ startsAt: ms('2026-03-01T08:00:00Z') }); // 09:00 CET
    const spring = rawShifts(rot, 'Europe/Berlin', ms('2026-03-28T12:00:00Z'), ms('2026-03-30T12:00:00Z'));
    expect(spring.map((s) => [iso(s.start), iso(s.end)])).to.deep.equal([
      ['2026-03-28T12:00:00Z', '2026-03-29T07:00:00Z'],
      ['2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z'],
      ['2026-03-30T07:00:00Z', '2026-03-30T12:00:00Z'],
    ]);
    const fallStart = ms('2026-10-24T07:00:00Z'); // 09:00 CEST
    const fall = rawShifts(rot, 'Europe/Berlin', fallStart, ms('2026-10-26T09:00:00Z'));
    expect(fall.map((s) => iso(s.start))).to.deep.equal(['2026-10-24T07:00:00Z', '2026-10-25T08:00:00Z', '2026-10-26T08:00:00Z']);
    expect((fall[0].end - fall[0].start) / H).to.equal(25);
  });

  it('America/New_York: a 02:30 hand-off on the spring-forward day (02:30 does not exist) hands off once, at 03:30 EDT', () => {
    const rot = rotation({ startsAt: ms('2026-03-01T07:30:00Z') }); // 02:30 EST
    expect(handOffs(rot, 'America/New_York', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).to.deep.equal([
      '2026-03-07T07:30:00Z', // 02:30 EST
      '2026-03-08T07:30:00Z', // 03:30 EDT: the gap moved it forward, not twice, not skipped
      '2026-03-09T06:30:00Z', // 02:30 EDT
    ]);
  });

  it('America/New_York: a 01:30 hand-off on the fall-back day (01:30 happens twice) hands off once, at the first 01:30', () => {
    const rot = rotation({ startsAt: ms('2026-10-25T05:30:00Z') }); // 01:30 EDT
    expect(handOffs(rot, 'America/New_York', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')).to.deep.equal([
      '2026-11-01T05:30:00Z', // 01:30 EDT
      '2026-11-02T06:30:00Z', // 01:30 EST
    ]);
  });

  it('America/New_York: a weekly Monday 10:00 hand-off stays at 10:00 local across both changes, people in turn', () => {
    const rot = rotation({ startsAt: ms('2026-02-23T15:00:00Z'), unit: 'weeks' }); // Mon 10:00 EST
    const shifts = rawShifts(rot, 'America/New_York', ms('2026-03-02T15:00:00Z'), ms('2026-03-16T14:00:00Z'));
    expect(shifts.map((s) => [iso(s.start), s.userId])).to.deep.equal([
      ['2026-03-02T15:00:00Z', 2],
      ['2026-03-09T14:00:00Z', 3], // 10:00 EDT
    ]);
    expect(handOffs(rot, 'America/New_York', '2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z')).to.deep.equal(['2026-11-02T15:00:00Z']);
  });

  it('Europe/Moscow (no DST): a 09:00 hand-off is 06:00 UTC all year', () => {
    const rot = rotation({ startsAt: ms('2026-01-01T06:00:00Z') });
    expect(handOffs(rot, 'Europe/Moscow', '2026-03-29T00:00:00Z', '2026-03-31T00:00:00Z')).to.deep.equal([
      '2026-03-29T06:00:00Z',
      '2026-03-30T06:00:00Z',
    ]);
    expect(handOffs(rot, 'Europe/Moscow', '2026-10-25T00:00:00Z', '2026-10-27T00:00:00Z')).to.deep.equal([
      '2026-10-25T06:00:00Z',
      '2026-10-26T06:00:00Z',
    ]);
  });

  it('hourly lengths are real hours: a 12 h rotation keeps 12 h shifts over the fall-back night (the wall-clock hand-off moves)', () => {
    const rot = rotation({ startsAt: ms('2026-10-24T06:00:00Z'), length: 12, unit: 'hours' }); // 08:00 CEST
    expect(handOffs(rot, 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z')).to.deep.equal([
      '2026-10-24T18:00:00Z', // 20:00 CEST
      '2026-10-25T06:00:00Z', // 07:00 CET
      '2026-10-25T18:00:00Z',
      '2026-10-26T06:00:00Z',
    ]);
  });
});

describe('on call: boundaries, start and end', () => {
  const rot = rotation({ startsAt: ms('2026-03-01T08:00:00Z') });
  const s = schedule('Europe/Berlin', [rot]);

  it('at the hand-off instant the next person is on call; one millisecond before, the previous one', () => {
    expect(onCallAt(s, ms('2026-03-02T08:00:00Z') - 1)).to.deep.equal([1]);
    expect(onCallAt(s, ms('2026-03-02T08:00:00Z'))).to.deep.equal([2]);
    expect(onCallAt(s, ms('2026-03-04T08:00:00Z'))).to.deep.equal([1]);
  });

  it('a rotation that starts in the future has nobody yet; "next" names its first person and when', () => {
    const future = schedule('Europe/Berlin', [rotation({ startsAt: ms('2026-12-07T08:00:00Z') })]);
    expect(onCallAt(future, ms('2026-12-06T04:00:00Z'))).to.deep.equal([]);
    expect(nextOnCall(future, ms('2026-12-06T04:00:00Z'), 7 * 24 * H)).to.deep.equal({ at: ms('2026-12-07T08:00:00Z'), userIds: [1] });
  });

  it('an ended rotation has nobody; a disabled schedule has nobody; an empty rotation has nobody', () => {
    const ended = schedule('Europe/Berlin', [rotation({ startsAt: ms('2026-03-01T08:00:00Z'), endsAt: ms('2026-03-05T08:00:00Z') })]);
    expect(onCallAt(ended, ms('2026-03-05T07:59:59Z'))).to.deep.equal([1]);
    expect(onCallAt(ended, ms('2026-03-05T08:00:00Z'))).to.deep.equal([]);
    expect(onCallAt({ ...s, enabled: false }, ms('2026-03-02T12:00:00Z'))).to.deep.equal([]);
    expect(onCallAt(schedule('Europe/Berlin', [rotation({ startsAt: 0, participants: [] })]), ms('2026-03-02T12:00:00Z'))).to.deep.equal(
      [],
    );
  });

  it('"next" is the next hand-off to someone else', () => {
    expect(nextOnCall(s, ms('2026-03-02T12:00:00Z'), 7 * 24 * H)).to.deep.equal({ at: ms('2026-03-03T08:00:00Z'), userIds: [3] });
  });

  it('two rotations: both people are on call, in rotation order', () => {
    const two = schedule('Europe/Berlin', [
      rot,
      rotation({ id: 'r2', participants: [7, 8], startsAt: ms('2026-03-01T08:00:00Z'), unit: 'weeks' }),
    ]);
    expect(onCallAt(two, ms('2026-03-02T12:00:00Z'))).to.deep.equal([2, 7]);
  });
});

describe('on call: restrictions', () => {
  const at = (s: Schedule, t: string) => onCallAt(s, ms(t));
  const restricted = (restrictions: Restriction[]) =>
    schedule('Europe/Berlin', [rotation({ startsAt: ms('2026-03-02T08:00:00Z'), unit: 'weeks', restrictions })]); // Mon 09:00 CET

  it('working hours 09:00–17:00 local clip each day, before and after the spring-forward change', () => {
    const s = restricted([{ kind: 'time-of-day', start: '09:00', end: '17:00' }]);
    expect(at(s, '2026-03-03T08:30:00Z')).to.deep.equal([1]); // 09:30 CET
    expect(at(s, '2026-03-03T16:30:00Z')).to.deep.equal([]); // 17:30 CET
    expect(at(s, '2026-03-03T07:30:00Z')).to.deep.equal([]); // 08:30 CET
    expect(at(s, '2026-03-30T07:00:00Z')).to.deep.equal([2]); // 09:00 CEST, the fifth week
    expect(at(s, '2026-03-30T06:59:59Z')).to.deep.equal([]);
  });

  it('a night window 22:00–06:00 wraps past midnight', () => {
    const s = restricted([{ kind: 'time-of-day', start: '22:00', end: '06:00' }]);
    expect(at(s, '2026-03-03T23:30:00Z')).to.deep.equal([1]); // 00:30 CET
    expect(at(s, '2026-03-03T21:00:00Z')).to.deep.equal([1]); // 22:00 CET
    expect(at(s, '2026-03-03T12:00:00Z')).to.deep.equal([]);
  });

  it('a weekend window from Friday 18:00 to Monday 09:00', () => {
    const s = restricted([{ kind: 'weekday-and-time-of-day', startDay: 5, start: '18:00', endDay: 1, end: '09:00' }]);
    expect(at(s, '2026-03-06T16:59:59Z')).to.deep.equal([]); // Fri 17:59 CET
    expect(at(s, '2026-03-06T17:00:00Z')).to.deep.equal([1]); // Fri 18:00
    expect(at(s, '2026-03-08T12:00:00Z')).to.deep.equal([1]); // Sunday
    // Monday 08:00 UTC is 09:00 CET: the window ends, and the weekly shift hands over to person 2 anyway.
    expect(at(s, '2026-03-09T07:59:59Z')).to.deep.equal([1]);
    expect(at(s, '2026-03-09T08:00:00Z')).to.deep.equal([]);
    expect(at(s, '2026-03-13T17:00:00Z')).to.deep.equal([2]);
  });

  it('the timeline shows only the restricted parts', () => {
    const s = restricted([{ kind: 'time-of-day', start: '09:00', end: '17:00' }]);
    const t = timeline(s, ms('2026-03-03T00:00:00Z'), ms('2026-03-04T00:00:00Z'));
    expect(t.map((x) => [iso(x.start), iso(x.end), x.userId])).to.deep.equal([['2026-03-03T08:00:00Z', '2026-03-03T16:00:00Z', 1]]);
  });
});

describe('on call: overrides', () => {
  const base = [
    rotation({ startsAt: ms('2026-03-01T08:00:00Z') }),
    rotation({ id: 'r2', participants: [7], startsAt: ms('2026-03-01T08:00:00Z') }),
  ];
  const o = (p: Partial<Override>): Override => ({
    id: 'o1',
    userId: 9,
    startsAt: ms('2026-03-02T18:00:00Z'),
    endsAt: ms('2026-03-03T06:00:00Z'),
    rotationId: 'r1',
    ...p,
  });

  it("an override replaces the rotation's person for its period only, in its rotation only", () => {
    const s = schedule('Europe/Berlin', base, [o({})]);
    expect(onCallAt(s, ms('2026-03-02T17:59:59Z'))).to.deep.equal([2, 7]);
    expect(onCallAt(s, ms('2026-03-02T18:00:00Z'))).to.deep.equal([9, 7]);
    expect(onCallAt(s, ms('2026-03-03T06:00:00Z'))).to.deep.equal([2, 7]);
    expect(nextOnCall(s, ms('2026-03-02T12:00:00Z'), 24 * H)).to.deep.equal({ at: ms('2026-03-02T18:00:00Z'), userIds: [9, 7] });
  });

  it('an override for the whole schedule covers every rotation', () => {
    const s = schedule('Europe/Berlin', base, [o({ rotationId: null })]);
    expect(onCallAt(s, ms('2026-03-02T20:00:00Z'))).to.deep.equal([9]);
  });

  it('a later override wins where two overlap', () => {
    const s = schedule('Europe/Berlin', base, [o({}), o({ id: 'o2', userId: 5, startsAt: ms('2026-03-02T20:00:00Z') })]);
    expect(onCallAt(s, ms('2026-03-02T19:00:00Z'))).to.deep.equal([9, 7]);
    expect(onCallAt(s, ms('2026-03-02T21:00:00Z'))).to.deep.equal([5, 7]);
  });

  it('"I take tonight" puts someone on call where working-hour restrictions leave nobody', () => {
    const rot = rotation({ startsAt: ms('2026-03-01T08:00:00Z'), restrictions: [{ kind: 'time-of-day', start: '09:00', end: '17:00' }] });
    const s = schedule('Europe/Berlin', [rot], [o({})]);
    expect(onCallAt(s, ms('2026-03-02T17:00:00Z'))).to.deep.equal([]); // 18:00 CET, outside working hours
    expect(onCallAt(s, ms('2026-03-02T22:00:00Z'))).to.deep.equal([9]);
  });
});
