/**
 * The calendar feed parses back: CRLF line ends, lines folded at 75 octets, TEXT escaped, and
 * shift times that follow the rotation's local hand-off across a daylight-saving change.
 */
import { expect } from 'chai';
import { escapeText, foldLine, rotationCalendar } from '../../../src/teams/ical';
import { timeline } from '../../../src/teams/oncall';
import type { Schedule } from '../../../src/teams/model';

/** Unfolds and splits into [name, value] pairs (RFC 5545 3.1), failing on any bare LF. */
function parse(ics: string): [string, string][] {
  expect(ics.endsWith('\r\n')).to.equal(true);
  expect(ics.replace(/\r\n/g, '')).to.not.include('\n');
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75);
  return ics
    .replace(/\r\n /g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1)];
    });
}

function unescape(s: string): string {
  return s.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const icalToMs = (s: string) => Date.parse(s.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

describe('iCalendar feed', () => {
  const berlin: Schedule = {
    id: 's1',
    name: 'DB, "primary"; night',
    teamId: null,
    timeZone: 'Europe/Berlin',
    enabled: true,
    rotations: [
      {
        id: 'R1',
        name: 'r',
        participants: [1, 2],
        startsAt: Date.parse('2026-03-27T08:00:00Z'),
        endsAt: null,
        length: 1,
        unit: 'days',
        restrictions: [],
      },
    ],
    overrides: [],
  };
  const names: Record<number, string> = { 1: 'Анна Каренина-Вронская, дежурная по базе данных и всему прочему', 2: 'Bob\\Builder' };
  const ics = rotationCalendar({
    calendarName: berlin.name,
    uidPrefix: 'R1',
    shifts: timeline(berlin, Date.parse('2026-03-27T08:00:00Z'), Date.parse('2026-03-31T07:00:00Z')),
    nameOf: (id) => names[id],
    now: Date.parse('2026-03-01T00:00:00Z'),
  });

  it('parses back to one event per shift with DST-correct UTC times (09:00 CET, then 09:00 CEST)', () => {
    const lines = parse(ics);
    expect(lines[0]).to.deep.equal(['BEGIN', 'VCALENDAR']);
    const starts = lines.filter(([k]) => k === 'DTSTART').map(([, v]) => new Date(icalToMs(v)).toISOString());
    expect(starts).to.deep.equal([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    const ends = lines.filter(([k]) => k === 'DTEND').map(([, v]) => new Date(icalToMs(v)).toISOString());
    expect(ends[1]).to.equal('2026-03-29T07:00:00.000Z');
    const uids = lines.filter(([k]) => k === 'UID').map(([, v]) => v);
    expect(new Set(uids).size).to.equal(4);
    expect(uids[0]).to.equal(`R1-${Date.parse('2026-03-27T08:00:00Z')}-1@dozvon`);
  });

  it('escapes TEXT and folds long lines without splitting a character', () => {
    const summaries = parse(ics)
      .filter(([k]) => k === 'SUMMARY')
      .map(([, v]) => unescape(v));
    expect(summaries[0]).to.equal(`On call: ${names[1]} (${berlin.name})`);
    expect(summaries[1]).to.equal(`On call: Bob\\Builder (${berlin.name})`);
    expect(escapeText('a,b;c\\d\ne')).to.equal('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine('X:' + 'я'.repeat(100));
    expect(folded.split('\r\n').map((l) => Buffer.byteLength(l))).to.deep.equal([74, 75, 55]); // a two-octet letter never straddles a fold
    expect(folded.replace(/\r\n /g, '')).to.equal('X:' + 'я'.repeat(100));
  });

  it('gives the same UIDs on every fetch, so calendars update events instead of duplicating them', () => {
    const again = rotationCalendar({
      calendarName: berlin.name,
      uidPrefix: 'R1',
      shifts: timeline(berlin, Date.parse('2026-03-27T08:00:00Z'), Date.parse('2026-03-31T07:00:00Z')),
      nameOf: (id) => names[id],
      now: Date.parse('2026-03-02T00:00:00Z'),
    });
    const uids = (s: string) => parse(s).filter(([k]) => k === 'UID');
    expect(uids(again)).to.deep.equal(uids(ics));
  });
});
