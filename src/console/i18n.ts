/**
 * The console speaks English and Russian. The language is the `lang` cookie (set by the switcher),
 * else the browser's Accept-Language, else English. Each area keeps its own dictionary beside its
 * pages; a key missing in Russian falls back to English, and a missing key shows as itself.
 */
import type { Request } from '../http/express';
import { readCookie } from '../web/session';

export const CONSOLE_LANGS = ['en', 'ru'] as const;
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];
export type Texts = Record<string, string>;
export interface Dict {
  en: Texts;
  ru: Partial<Texts>;
}
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export const LANG_COOKIE = 'dozvon_lang';

export function pickLang(req: Request): ConsoleLang {
  const q = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (q === 'en' || q === 'ru') return q;
  const c = readCookie(req.get('cookie'), LANG_COOKIE);
  if (c === 'en' || c === 'ru') return c;
  return preferredFromHeader(req.get('accept-language'));
}

/** The first of the browser's languages that we speak ("ru-RU,ru;q=0.9,en;q=0.8" → ru). */
export function preferredFromHeader(header: string | undefined): ConsoleLang {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) if (r.lang === 'en' || r.lang === 'ru') return r.lang;
  return 'en';
}

export function translator(lang: ConsoleLang, ...dicts: Dict[]): Translate {
  return (key, vars) => {
    let s: string | undefined;
    for (const d of dicts) {
      s = (lang === 'ru' ? d.ru[key] : undefined) ?? d.en[key];
      if (s !== undefined) break;
    }
    if (s === undefined) return key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] !== undefined ? String(vars[k]) : m)) : s;
  };
}
