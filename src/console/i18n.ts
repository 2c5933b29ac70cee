/**
 * The console speaks English and Russian. The language is the `lang` cookie (set by the switcher),
 * else the browser's Accept-Language, else English. Each area keeps its own dictionary beside its
 * pages, built with dict(): a key missing in either language, or a lookup of a key no dictionary
 * has, fails to compile, so a typo can no longer show a key on the page.
 */
import type { Request } from '../http/express';
import { readCookie } from '../web/session';

export const CONSOLE_LANGS = ['en', 'ru'] as const;
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];
export type Texts<K extends string = string> = Readonly<Record<K, string>>;
export interface Dict<K extends string = string> {
  en: Texts<K>;
  ru: Texts<K>;
}
export interface Translate<K extends string = string> {
  (key: K, vars?: Record<string, string | number>): string;
  /** A key built from data (a state, a reason code): null when no dictionary has it, never the key itself. */
  dynamic(key: string, vars?: Record<string, string | number>): string | null;
}
/** The keys of a dictionary made by dict(). */
export type KeysOf<D> = D extends Dict<infer K> ? K : never;

/** An area's words in both languages; Russian must have exactly English's keys. */
export function dict<const E extends Record<string, string>>(en: E, ru: { readonly [k in keyof E]: string }): Dict<keyof E & string> {
  return { en, ru };
}

/** Two dictionaries as one (an area whose words outgrew one file); keys must not overlap. */
export function joinDicts<A extends string, B extends string>(a: Dict<A>, b: Dict<B>): Dict<A | B> {
  return { en: { ...a.en, ...b.en }, ru: { ...a.ru, ...b.ru } };
}

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

export function translator<A extends string, B extends string = never>(
  lang: ConsoleLang,
  first: Dict<A>,
  second?: Dict<B>,
): Translate<A | B> {
  const dynamic = (key: string, vars?: Record<string, string | number>): string | null => {
    let s: string | undefined;
    for (const d of second ? [first, second] : [first]) {
      const texts = (lang === 'ru' ? d.ru : d.en) as Readonly<Record<string, string | undefined>>;
      s = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : undefined;
      if (s !== undefined) break;
    }
    if (s === undefined) return null;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] !== undefined ? String(vars[k]) : m)) : s;
  };
  // The compiler has checked the key, so it is there; `?? key` only guards a cast somewhere.
  return Object.assign((key: A | B, vars?: Record<string, string | number>) => dynamic(key, vars) ?? key, { dynamic });
}
