/** The few words the normaliser adds to a text, per language, with Russian plural forms. */
import type { Lang } from './types';
import { pluralIndex } from '../core/plural';

/** [one, few, many]: 1 минута, 2 минуты, 5 минут. English uses [one, other, other]. */
export type Forms = readonly [string, string, string];

export type Unit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'percent' | 'alert' | 'incident';

const UNITS: Record<Lang, Record<Unit, Forms>> = {
  en: {
    ms: ['millisecond', 'milliseconds', 'milliseconds'],
    s: ['second', 'seconds', 'seconds'],
    m: ['minute', 'minutes', 'minutes'],
    h: ['hour', 'hours', 'hours'],
    d: ['day', 'days', 'days'],
    w: ['week', 'weeks', 'weeks'],
    percent: ['percent', 'percent', 'percent'],
    alert: ['alert', 'alerts', 'alerts'],
    incident: ['incident', 'incidents', 'incidents'],
  },
  ru: {
    ms: ['миллисекунда', 'миллисекунды', 'миллисекунд'],
    s: ['секунда', 'секунды', 'секунд'],
    m: ['минута', 'минуты', 'минут'],
    h: ['час', 'часа', 'часов'],
    d: ['день', 'дня', 'дней'],
    w: ['неделя', 'недели', 'недель'],
    percent: ['процент', 'процента', 'процентов'],
    alert: ['алерт', 'алерта', 'алертов'],
    incident: ['инцидент', 'инцидента', 'инцидентов'],
  },
};

export const SYMBOLS: Record<
  Lang,
  {
    dot: string;
    dash: string;
    underscore: string;
    colon: string;
    number: string;
    and: string;
    gt: string;
    ge: string;
    lt: string;
    le: string;
    eq: string;
    ne: string;
    firing: string;
    resolved: string;
  }
> = {
  en: {
    dot: 'dot',
    dash: 'dash',
    underscore: 'underscore',
    colon: 'port',
    number: 'number',
    and: 'and',
    gt: 'greater than',
    ge: 'at least',
    lt: 'less than',
    le: 'at most',
    eq: 'equals',
    ne: 'not equal to',
    firing: 'Firing',
    resolved: 'Resolved',
  },
  ru: {
    dot: 'точка',
    dash: 'тире',
    underscore: 'подчёркивание',
    colon: 'порт',
    number: 'номер',
    and: 'и',
    gt: 'больше',
    ge: 'не меньше',
    lt: 'меньше',
    le: 'не больше',
    eq: 'равно',
    ne: 'не равно',
    firing: 'Тревога',
    resolved: 'Решено',
  },
};

export { pluralIndex };

export function unitWord(n: number, unit: Unit, lang: Lang): string {
  return UNITS[lang][unit][pluralIndex(n, lang)];
}

/** "3 alerts", "3 алерта": for the summary text the IVR composes. */
export function sayCount(n: number, unit: Unit, lang: Lang): string {
  return `${formatNumber(n, lang)} ${unitWord(n, unit, lang)}`;
}

export function formatNumber(n: number, lang: Lang): string {
  const s = String(n);
  return lang === 'ru' ? s.replace('.', ',') : s;
}
