/** The few words the summaries need, in English and Russian, with Russian plural forms done properly. */
export type Lang = 'en' | 'ru';
export const LANGS: readonly Lang[] = ['en', 'ru'];

const ruRules = new Intl.PluralRules('ru');

/** "1 alert" / "3 alerts"; "1 алерт", "3 алерта", "5 алертов", "21 алерт". */
export function countOf(n: number, lang: Lang, en: [string, string], ru: [string, string, string]): string {
  if (lang === 'en') return `${n} ${n === 1 ? en[0] : en[1]}`;
  const form = ruRules.select(n);
  return `${n} ${form === 'one' ? ru[0] : form === 'few' ? ru[1] : ru[2]}`;
}

export const alertsWord = (n: number, lang: Lang) => countOf(n, lang, ['alert', 'alerts'], ['алерт', 'алерта', 'алертов']);
export const incidentsWord = (n: number, lang: Lang) => countOf(n, lang, ['incident', 'incidents'], ['инцидент', 'инцидента', 'инцидентов']);

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
