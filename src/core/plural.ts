/**
 * Which plural form a count takes, for everything dozvon says or writes: English has two,
 * Russian three (1 алерт, 3 алерта, 5 алертов, 21 алерт, 11 алертов). Fractions take the
 * Russian "few" form (1,5 минуты).
 */
export function pluralIndex(n: number, lang: 'en' | 'ru'): 0 | 1 | 2 {
  if (lang === 'en') return n === 1 ? 0 : 1;
  if (!Number.isInteger(n)) return 1;
  const abs = Math.abs(n);
  const d10 = abs % 10;
  const d100 = abs % 100;
  if (d10 === 1 && d100 !== 11) return 0;
  if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return 1;
  return 2;
}
