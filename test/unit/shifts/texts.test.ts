import { expect } from 'chai';
import { noticeText, when } from '../../../src/watchers/shifts/texts';
import { localMoment, untilText, isValidZone } from '../../../src/core/time';

const T = (iso: string) => Date.parse(iso);

describe('shifts: notice texts', () => {
  // Saturday 21 November 2026; Berlin is UTC+1 in winter.
  const now = T('2026-11-21T08:00:02Z');

  it("says start and end in the person's zone, with the weekday when it is another day (en)", () => {
    const text = noticeText({
      kind: 'on',
      scheduleName: 'Primary',
      start: T('2026-11-21T08:00:00Z'),
      end: T('2026-11-23T08:00:00Z'),
      now,
      zone: 'Europe/Berlin',
      lang: 'en',
    });
    expect(text).to.equal('Your shift on Primary starts at 09:00 and ends Monday 09:00.');
  });

  it('speaks Russian with the weekday in the accusative', () => {
    const text = noticeText({
      kind: 'on',
      scheduleName: 'Primary',
      start: T('2026-11-21T08:00:00Z'),
      end: T('2026-11-25T08:00:00Z'),
      now,
      zone: 'Europe/Berlin',
      lang: 'ru',
    });
    expect(text).to.equal('Ваша смена по расписанию «Primary» начинается в 09:00 и заканчивается в среду в 09:00.');
  });

  it('reminds with the lead time, rounded to the minute', () => {
    const at = T('2026-11-21T07:45:02Z');
    const start = T('2026-11-21T08:00:00Z');
    const end = T('2026-11-21T20:00:00Z');
    expect(noticeText({ kind: 'reminder', scheduleName: 'Primary', start, end, now: at, zone: 'Europe/Berlin', lang: 'en' })).to.equal(
      'Your shift on Primary starts in 15 minutes, at 09:00, and ends at 21:00.',
    );
    expect(noticeText({ kind: 'reminder', scheduleName: 'Primary', start, end, now: at, zone: 'Europe/Berlin', lang: 'ru' })).to.equal(
      'Через 15 минут, в 09:00, начинается ваша смена по расписанию «Primary»; она заканчивается в 21:00.',
    );
  });

  it('tells when the shift ended, and a late start notice in the past tense', () => {
    expect(
      noticeText({
        kind: 'off',
        scheduleName: 'Primary',
        start: null,
        end: T('2026-11-21T08:00:00Z'),
        now,
        zone: 'America/New_York',
        lang: 'en',
      }),
    ).to.equal('Your shift on Primary ended at 03:00.');
    expect(
      noticeText({
        kind: 'off',
        scheduleName: 'Primary',
        start: null,
        end: T('2026-11-21T08:00:00Z'),
        now,
        zone: 'America/New_York',
        lang: 'ru',
      }),
    ).to.equal('Ваша смена по расписанию «Primary» закончилась в 03:00.');
    expect(
      noticeText({ kind: 'on', scheduleName: 'P', start: T('2026-11-21T06:00:00Z'), end: null, now, zone: 'UTC', lang: 'en' }),
    ).to.equal('Your shift on P started at 06:00.');
  });

  it("names the zone when it is a fallback rather than the person's own", () => {
    expect(
      noticeText({
        kind: 'off',
        scheduleName: 'P',
        start: null,
        end: T('2026-11-21T08:00:00Z'),
        now,
        zone: 'UTC',
        lang: 'en',
        sayZone: true,
      }),
    ).to.equal('Your shift on P ended at 08:00. Times are in UTC.');
  });

  it('uses the date for days a week or more away', () => {
    expect(when(T('2026-12-02T08:00:00Z'), now, 'Europe/Berlin', 'en')).to.equal('2 December 09:00');
    expect(when(T('2026-12-02T08:00:00Z'), now, 'Europe/Berlin', 'ru')).to.equal('2 декабря в 09:00');
  });
});

describe('shifts: local times across DST changes', () => {
  it('Berlin, 25 Oct 2026: a shift from Saturday 09:00 CEST to Sunday 09:00 CET is 25 hours and reads 09:00 both ends', () => {
    const start = T('2026-10-24T07:00:00Z'); // 09:00 CEST (UTC+2)
    const end = T('2026-10-25T08:00:00Z'); // 09:00 CET (UTC+1)
    expect((end - start) / 3600_000).to.equal(25);
    expect(noticeText({ kind: 'on', scheduleName: 'Primary', start, end, now: start, zone: 'Europe/Berlin', lang: 'en' })).to.equal(
      'Your shift on Primary starts at 09:00 and ends Sunday 09:00.',
    );
  });

  it('New York, 1 Nov 2026: 01:30 happens twice; the day counts by the local calendar', () => {
    const first = T('2026-11-01T05:30:00Z'); // 01:30 EDT
    const second = T('2026-11-01T06:30:00Z'); // 01:30 EST
    expect(localMoment(first, first, 'America/New_York', 'en').time).to.equal('01:30');
    expect(localMoment(second, first, 'America/New_York', 'en')).to.include({ time: '01:30', daysFrom: 0 });
    expect(localMoment(T('2026-11-02T05:00:00Z'), T('2026-10-31T23:00:00Z'), 'America/New_York', 'en')).to.include({
      time: '00:00',
      daysFrom: 2,
      weekday: 1,
    });
  });

  it('falls back to UTC for an unknown zone and knows real ones', () => {
    expect(isValidZone('Europe/Berlin')).to.equal(true);
    expect(isValidZone('Mars/Olympus')).to.equal(false);
    expect(isValidZone(null)).to.equal(false);
    expect(localMoment(T('2026-11-21T08:00:00Z'), T('2026-11-21T08:00:00Z'), 'Mars/Olympus', 'en').time).to.equal('08:00');
  });

  it('lead times: minutes, then hours', () => {
    const now = T('2026-11-21T08:00:00Z');
    expect(untilText(now + 59_000, now, 'en')).to.equal('in 1 minute');
    expect(untilText(now + 3 * 3600_000, now, 'ru')).to.equal('через 3 часа');
  });
});
