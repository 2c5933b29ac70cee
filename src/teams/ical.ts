/**
 * A rotation as an iCalendar feed (RFC 5545), written by hand: one VEVENT per stretch somebody is
 * on call (restrictions and overrides applied, as the on-call computation sees it), times in UTC
 * so every calendar shows the hand-off at the right local time, CRLF line ends, lines folded at
 * 75 octets without splitting a character, TEXT values escaped.
 */
import type { Shift } from './model';

export interface CalendarInput {
  calendarName: string;
  /** Stable across fetches, so calendars update events instead of duplicating them. */
  uidPrefix: string;
  shifts: Shift[];
  nameOf(userId: number): string;
  now: number;
}

/** RFC 5545 3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT. */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF and a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The first line may hold 75 octets; continuation lines 74, since their leading space counts.
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** 20260302T080000Z */
export function icalUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function rotationCalendar(c: CalendarInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//dozvon//teams//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(c.calendarName)}`,
  ];
  for (const s of c.shifts) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${c.uidPrefix}-${s.start}-${s.userId}@dozvon`,
      `DTSTAMP:${icalUtc(c.now)}`,
      `DTSTART:${icalUtc(s.start)}`,
      `DTEND:${icalUtc(s.end)}`,
      `SUMMARY:${escapeText(`On call: ${c.nameOf(s.userId)}${s.override ? ' (override)' : ''} (${c.calendarName})`)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
