/**
 * Import problems in the reader's language. English pages show the CLI's own words, so a message
 * seen in the console is the one `dozvon users import` prints; other languages word the problem
 * from its reason (the field at fault, the CSV line), with the same hint as the person form.
 * A person nobody could page is worded here in every language: the CLI's words name its
 * --contact flag, and in the console a contact is a line in the contacts box.
 */
import type { ImportProblem, ReadReason } from '../../directory/import';
import type { ConsoleLang } from '../i18n';
import type { Words as Translate } from './texts';

export function problemText(lang: ConsoleLang, t: Translate, p: ImportProblem): string {
  const r = p.reason;
  if (r.kind === 'unreachable') return t('import.unreachable', { email: r.email });
  if (lang === 'en') return p.message;
  if (r.kind === 'twice') return t('import.twice', { email: r.email });
  const parts = r.fields.map((f) => `${t.dynamic(`fieldName.${f}`) ?? f}: ${t.dynamic(`err.${f}`) ?? p.message}`);
  if (r.unknownKeys.length) parts.push(t('import.unknownKeys', { keys: r.unknownKeys.map((k) => `"${k.slice(0, 40)}"`).join(', ') }));
  if (r.unquotedPin) parts.push(t('import.pinQuote'));
  return parts.join(' ');
}

export function readErrorText(lang: ConsoleLang, t: Translate, e: { message: string; reason: ReadReason }): string {
  return lang === 'en' ? e.message : t(`read.${e.reason.code}`, e.reason.vars);
}
