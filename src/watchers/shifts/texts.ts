/**
 * What a person hears or reads about their shift, in their language and on their clock:
 * "Your shift on Primary starts at 09:00 and ends Monday 09:00." Times are wall-clock times
 * in the person's zone (luxon, through core/time), so a DST change moves nothing they hear.
 */
import { localMoment, untilText, type TimeLang } from '../../core/time';
import type { NoticeKind } from './model';

export interface NoticeFacts {
  kind: NoticeKind;
  scheduleName: string;
  /** Shift start (on, reminder); null when unknown. */
  start: number | null;
  /** Shift end (on, reminder) or when it ended (off); null when unknown. */
  end: number | null;
  now: number;
  zone: string;
  lang: TimeLang;
  /** The zone is a fallback, not the person's own: say which zone the times are in. */
  sayZone?: boolean;
}

const WEEKDAY_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** Accusative, as in "в понедельник", "в среду". */
const WEEKDAY_RU = ['понедельник', 'вторник', 'среду', 'четверг', 'пятницу', 'субботу', 'воскресенье'];
/** Started this long ago, a start notice says "started" (a catch-up after downtime), not "starts". */
const PAST_AFTER_MS = 5 * 60_000;

/** "at 09:00", "Monday 09:00", "9 November 09:00" / "в 09:00", "в понедельник в 09:00", "9 ноября в 09:00". */
export function when(ms: number, now: number, zone: string, lang: TimeLang): string {
  const m = localMoment(ms, now, zone, lang);
  const near = Math.abs(m.daysFrom) < 7;
  if (lang === 'ru') {
    if (m.daysFrom === 0) return `в ${m.time}`;
    return near ? `в ${WEEKDAY_RU[m.weekday - 1]} в ${m.time}` : `${m.date} в ${m.time}`;
  }
  if (m.daysFrom === 0) return `at ${m.time}`;
  return near ? `${WEEKDAY_EN[m.weekday - 1]} ${m.time}` : `${m.date} ${m.time}`;
}

export function noticeText(f: NoticeFacts): string {
  const at = (ms: number) => when(ms, f.now, f.zone, f.lang);
  const text = f.lang === 'ru' ? russian(f, at) : english(f, at);
  if (!f.sayZone) return text;
  return f.lang === 'ru' ? `${text} Время указано по ${f.zone}.` : `${text} Times are in ${f.zone}.`;
}

function english(f: NoticeFacts, at: (ms: number) => string): string {
  const on = `Your shift on ${f.scheduleName}`;
  const ends = f.end !== null ? ` and ends ${at(f.end)}` : '';
  switch (f.kind) {
    case 'on': {
      if (f.start === null) return `${on} has started${ends}.`;
      const verb = f.now - f.start > PAST_AFTER_MS ? 'started' : 'starts';
      return `${on} ${verb} ${at(f.start)}${ends}.`;
    }
    case 'reminder':
      if (f.start === null) return `${on} starts soon${ends}.`;
      return `${on} starts ${untilText(f.start, f.now, 'en')}, ${at(f.start)}${f.end !== null ? `, and ends ${at(f.end)}` : ''}.`;
    case 'off':
      return f.end !== null ? `${on} ended ${at(f.end)}.` : `${on} has ended.`;
  }
}

function russian(f: NoticeFacts, at: (ms: number) => string): string {
  const sched = `по расписанию «${f.scheduleName}»`;
  const ends = f.end !== null ? ` и заканчивается ${at(f.end)}` : '';
  switch (f.kind) {
    case 'on': {
      if (f.start === null) return `Ваша смена ${sched} началась${ends}.`;
      const verb = f.now - f.start > PAST_AFTER_MS ? 'началась' : 'начинается';
      return `Ваша смена ${sched} ${verb} ${at(f.start)}${ends}.`;
    }
    case 'reminder': {
      if (f.start === null) return `Скоро начинается ваша смена ${sched}${ends}.`;
      const lead = untilText(f.start, f.now, 'ru');
      const tail = f.end !== null ? `; она заканчивается ${at(f.end)}` : '';
      return `${capitalise(lead)}, ${at(f.start)}, начинается ваша смена ${sched}${tail}.`;
    }
    case 'off':
      return f.end !== null ? `Ваша смена ${sched} закончилась ${at(f.end)}.` : `Ваша смена ${sched} закончилась.`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
