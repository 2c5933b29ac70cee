/** The few words the summaries need, in English and Russian, with Russian plural forms done properly. */
import { pluralIndex } from '../core/plural';

export type Lang = 'en' | 'ru';
export const LANGS: readonly Lang[] = ['en', 'ru'];

/** "1 alert" / "3 alerts"; "1 алерт", "3 алерта", "5 алертов", "21 алерт". */
export function countOf(n: number, lang: Lang, en: [string, string], ru: [string, string, string]): string {
  const i = pluralIndex(n, lang);
  return `${n} ${lang === 'en' ? en[i === 0 ? 0 : 1] : ru[i]}`;
}

export const alertsWord = (n: number, lang: Lang) => countOf(n, lang, ['alert', 'alerts'], ['алерт', 'алерта', 'алертов']);
export const incidentsWord = (n: number, lang: Lang) =>
  countOf(n, lang, ['incident', 'incidents'], ['инцидент', 'инцидента', 'инцидентов']);

const ORDINALS: Record<Lang, string[]> = {
  en: ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth'],
  ru: ['Первый', 'Второй', 'Третий', 'Четвёртый', 'Пятый', 'Шестой', 'Седьмой', 'Восьмой', 'Девятый', 'Десятый'],
};

/** "First", "Second", …; past ten just "Next". */
export function ordinal(i: number, lang: Lang): string {
  return ORDINALS[lang][i] ?? (lang === 'ru' ? 'Следующий' : 'Next');
}

/** A sentence from a phrase: ends with exactly one stop. */
export function sentence(s: string): string {
  const t = s.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** English and Russian texts of one thing to say. */
export interface Spoken {
  en: string;
  ru: string;
}
