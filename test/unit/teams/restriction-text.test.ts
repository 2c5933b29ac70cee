/**
 * Restrictions as operators write them (the CLI's --only, the console's rotation form): each form
 * maps to the model's kinds, a night window on listed days ends the next morning, what is written
 * back reads again as the same windows, and the parsed windows decide who is on call.
 */
import { expect } from 'chai';
import { formatRestrictions, parseRestriction } from '../../../src/teams/restriction-text';
import { onCallAt } from '../../../src/teams/oncall';
import type { Restriction, Schedule } from '../../../src/teams/model';

const weekdays = (start: string, end: string, days: number[], next = false): Restriction[] =>
  days.map((d) => ({
    kind: 'weekday-and-time-of-day',
    startDay: d as 1,
    start,
    endDay: (next ? (d % 7) + 1 : d) as 1,
    end,
  }));

describe('restrictions written as text', () => {
  it('reads every day, days with one window each, and one stretch across days', () => {
    expect(parseRestriction('22:00-06:00')).to.deep.equal([{ kind: 'time-of-day', start: '22:00', end: '06:00' }]);
    expect(parseRestriction(' Mon-Fri  09:00 - 18:00 ')).to.deep.equal(weekdays('09:00', '18:00', [1, 2, 3, 4, 5]));
    expect(parseRestriction('sat,SUN 10:00-16:00')).to.deep.equal(weekdays('10:00', '16:00', [6, 7]));
    expect(parseRestriction('Fri 18:00-Mon 09:00')).to.deep.equal([
      { kind: 'weekday-and-time-of-day', startDay: 5, start: '18:00', endDay: 1, end: '09:00' },
    ]);
  });

  it('a night window on listed days ends on the next morning, and a day range may wrap the week', () => {
    expect(parseRestriction('Fri-Mon 22:00-06:00')).to.deep.equal(weekdays('22:00', '06:00', [5, 6, 7, 1], true));
  });

  it('refuses what it cannot read, naming the forms it can', () => {
    for (const bad of ['weekdays', '25:00-06:00', '9:00-18:00', 'Mon-Tue-Wed 09:00-10:00', 'Monday 09:00-10:00', 'Mon-Xyz 09:00-10:00', ''])
      expect(() => parseRestriction(bad), bad).to.throw(/is not a restriction such as "Mon-Fri 09:00-18:00"/);
  });

  it('writes windows back so they read again as the same ones', () => {
    for (const text of ['Mon-Fri 09:00-18:00', '22:00-06:00', 'Fri 18:00-Mon 09:00', 'Sat,Sun 22:00-06:00']) {
      const rs = parseRestriction(text);
      const written = formatRestrictions(rs);
      expect(written.flatMap(parseRestriction), text).to.deep.equal(rs);
    }
    expect(formatRestrictions(parseRestriction('Mon-Wed 09:00-18:00'))).to.deep.equal(['Mon,Tue,Wed 09:00-18:00']);
  });

  it('"Mon-Fri 09:00-18:00" keeps a rotation on call in office hours of its zone only', () => {
    const s: Schedule = {
      id: 's1',
      name: 'db',
      teamId: null,
      timeZone: 'Europe/Berlin',
      enabled: true,
      overrides: [],
      rotations: [
        {
          id: 'r1',
          name: 'day',
          participants: [7],
          startsAt: Date.parse('2026-03-02T08:00:00Z'),
          endsAt: null,
          length: 1,
          unit: 'weeks',
          restrictions: parseRestriction('Mon-Fri 09:00-18:00'),
        },
      ],
    };
    expect(onCallAt(s, Date.parse('2026-03-04T08:30:00Z'))).to.deep.equal([7]); // Wednesday 09:30 CET
    expect(onCallAt(s, Date.parse('2026-03-04T17:30:00Z'))).to.deep.equal([]); // Wednesday 18:30 CET
    expect(onCallAt(s, Date.parse('2026-03-07T10:00:00Z'))).to.deep.equal([]); // Saturday
  });
});
