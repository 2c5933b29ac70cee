/**
 * Text from alerts is written for the eye; this rewrites it for the ear. Markup, links and
 * emoji go; host names are read part by part ("db dash 01 dot prod…"); durations and
 * percentages get their words; identifiers like HighCPUUsage are split into words.
 * Hosts are swapped for placeholders first, so later rules cannot touch their parts.
 */
import { SYMBOLS, Unit, unitWord, formatNumber } from './words';
import type { Lang } from './types';

export interface NormaliseOptions {
  /** DOZVON_FQDN_REGEX: what counts as a host name. */
  fqdnRegex?: RegExp;
  /** Safety cap for the whole text; titles should be shortened with shortenTitle first. */
  maxChars?: number;
}

export const DEFAULT_FQDN_REGEX = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|local|internal|lan)\b/i;

const L = '\\p{L}\\p{N}_';
const START = `(?<![${L}])`;
const END = `(?![${L}])`;
const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\d.])/g;
/** Host-like tokens without dots: letters, then - or _ joined parts, with a digit somewhere (db-01, web_3). */
const DASHED = new RegExp(`${START}[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+${END}`, 'giu');
const HOLE = /\u0000(\d+)\u0000/g;

export function normaliseForSpeech(text: string, lang: Lang, opts: NormaliseOptions = {}): string {
  const holes: string[] = [];
  const hold = (s: string) => `\u0000${holes.push(s) - 1}\u0000`;
  let t = stripMarkup(text);
  t = holdHosts(t, lang, opts.fqdnRegex ?? DEFAULT_FQDN_REGEX, hold);
  t = speakAlertmanager(t, lang);
  t = speakNumbers(t, lang);
  t = splitIdentifiers(t, lang);
  t = tidy(t);
  t = t.replace(HOLE, (_, i: string) => holes[Number(i)]);
  return opts.maxChars && t.length > opts.maxChars ? shortenTitle(t, opts.maxChars) : t;
}

/** Links, HTML, Markdown and emoji out; the visible text of links stays. */
export function stripMarkup(text: string): string {
  let t = text.replace(/\r\n?/g, '\n');
  t = t.replace(/<((?:https?|mailto):[^|>\s]+)\|([^>]+)>/g, '$2'); // Slack <url|label>
  t = t.replace(/!?\[([^\]]*)\]\([^)\s]*\)/g, '$1'); // Markdown [label](url), ![alt](src)
  t = t.replace(/<(br|\/p|\/div|\/li|\/h[1-6]|\/tr)\b[^>]*>/gi, '. ');
  t = t.replace(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi, ' ');
  t = decodeEntities(t);
  t = t.replace(/\b(?:https?|ftp):\/\/[^\s<>"')\]]+/gi, ' ').replace(/\bwww\.[^\s<>"')\]]+/gi, ' ');
  t = t.replace(/(^|[\s(]):[a-z][a-z0-9_+-]*:(?=$|[\s).,!?])/gim, '$1 '); // :blush: and friends
  t = t.replace(/[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{FE0F}\u{200D}\u{20E3}]/gu, ' ');
  t = t.replace(/```[a-z]*\n?/gi, ' ').replace(/`/g, '');
  t = t.replace(/^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, ''); // headings, quotes, list markers
  t = t.replace(/(\*\*|__|~~)(.+?)\1/g, '$2').replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=$|[\s).,!?:;])/gm, '$1$2');
  // Lines become sentences, so a multi-line message does not run together.
  t = t.replace(/([^.!?:;,\s])[ \t]*\n+/g, '$1. ').replace(/\n+/g, ' ');
  return t;
}

function decodeEntities(t: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: ' ',
    mdash: '—',
    ndash: '–',
    hellip: '…',
  };
  return t.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
    }
    return named[e.toLowerCase()] ?? m;
  });
}

/** "db-01.prod.example.com" → "db dash 01 dot prod dot example dot com". */
export function speakHost(host: string, lang: Lang): string {
  const w = SYMBOLS[lang];
  const [name, port] = host.split(':');
  const spoken = name
    .replace(/\.$/, '')
    .split(/([.\-_])/)
    .filter((p) => p !== '')
    .map((p) => (p === '.' ? w.dot : p === '-' ? w.dash : p === '_' ? w.underscore : p))
    .join(' ');
  return port ? `${spoken} ${w.colon} ${port}` : spoken;
}

function holdHosts(t: string, lang: Lang, fqdn: RegExp, hold: (s: string) => string): string {
  t = t.replace(IPV4, (m) => hold(speakHost(m, lang)));
  const global = new RegExp(fqdn.source, fqdn.flags.includes('g') ? fqdn.flags : fqdn.flags + 'g');
  // Only host-shaped matches: an abbreviation with a trailing dot is not a host.
  t = t.replace(global, (m) => (/[.]/.test(m) ? hold(speakHost(m, lang)) : m));
  return t.replace(DASHED, (m) => (/\d/.test(m) ? hold(speakHost(m, lang)) : m));
}

/** Alertmanager's "[FIRING:3]" prefix. */
function speakAlertmanager(t: string, lang: Lang): string {
  const w = SYMBOLS[lang];
  return t.replace(/\[(FIRING|RESOLVED)(?::(\d+))?\]/gi, (_, state: string, n?: string) => {
    const word = state.toUpperCase() === 'FIRING' ? w.firing : w.resolved;
    return n ? `${word}, ${n} ${unitWord(Number(n), 'alert', lang)}. ` : `${word}. `;
  });
}

const UNIT_ALIASES: Record<string, Unit> = {
  ms: 'ms',
  msec: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  d: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  мс: 'ms',
  с: 's',
  сек: 's',
  мин: 'm',
  ч: 'h',
  д: 'd',
  дн: 'd',
  нед: 'w',
};
const UNIT_RE = 'ms|msec|secs|sec|s|mins|min|m|hrs|hr|h|d|wks|wk|w|мс|сек|с|мин|ч|дн|д|нед';

function speakNumbers(t: string, lang: Lang): string {
  const w = SYMBOLS[lang];
  const num = (s: string) => Number(s.replace(',', '.'));
  const say = (n: number, unit: Unit) => `${formatNumber(n, lang)} ${unitWord(n, unit, lang)}`;
  // Compound durations first: 1h30m, 2d4h, 1m30s.
  t = t.replace(new RegExp(`${START}((?:\\d+(?:${UNIT_RE})){2,})${END}`, 'giu'), (m) =>
    [...m.matchAll(new RegExp(`(\\d+)(${UNIT_RE})`, 'giu'))].map((p) => say(Number(p[1]), UNIT_ALIASES[p[2].toLowerCase()])).join(' '),
  );
  t = t.replace(
    new RegExp(`${START}(\\d+(?:[.,]\\d+)?)\\s?(${UNIT_RE})\\.?${END}`, 'giu'),
    (m, n: string, u: string) => say(num(n), UNIT_ALIASES[u.toLowerCase()]) + (m.endsWith('.') ? '.' : ''),
  );
  t = t.replace(/(\d+(?:[.,]\d+)?)\s?%/g, (_, n: string) => say(num(n), 'percent'));
  t = t.replace(/(\d),(\d{3})(?!\d)/g, '$1$2'); // 12,345 → 12345: engines read it as one number
  if (lang === 'ru') t = t.replace(/(\d)\.(\d)/g, '$1,$2');
  t = t.replace(/#(\d+)/g, `${w.number} $1`);
  t = t
    .replace(/\s*(>=|≥)\s*/g, ` ${w.ge} `)
    .replace(/\s*(<=|≤)\s*/g, ` ${w.le} `)
    .replace(/\s*(!=|≠)\s*/g, ` ${w.ne} `);
  t = t
    .replace(/\s*==\s*/g, ` ${w.eq} `)
    .replace(/\s+>\s+/g, ` ${w.gt} `)
    .replace(/\s+<\s+/g, ` ${w.lt} `);
  return t;
}

/** HighCPUUsage → High CPU Usage; disk_usage_high → disk usage high; severity=critical → severity critical. */
function splitIdentifiers(t: string, lang: Lang): string {
  t = t.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  t = t.replace(/([a-zA-Z])_(?=[a-zA-Z])/g, '$1 ');
  t = t.replace(/(\p{L})=(?=[\p{L}\p{N}"])/gu, '$1 ');
  return t.replace(/\s&\s/g, ` ${SYMBOLS[lang].and} `);
}

function tidy(t: string): string {
  t = t.replace(/[\\|^~*_=<>{}[\]"«»`]/g, ' ');
  t = t.replace(/\(\s*\)/g, ' ').replace(/\s*([.,!?;:])(\s*[.,!?;:])+/g, '$1');
  t = t.replace(/\s+([.,!?;:)])/g, '$1').replace(/\(\s+/g, '(');
  t = t.replace(/[ \t\u00a0]+/g, ' ').trim();
  return t.replace(/^[.,;:!?\s]+/, '');
}

const CONNECTORS = new Set([
  'and',
  'or',
  'the',
  'a',
  'an',
  'of',
  'in',
  'on',
  'for',
  'with',
  'to',
  'at',
  'by',
  'from',
  'и',
  'или',
  'в',
  'во',
  'на',
  'для',
  'с',
  'со',
  'по',
  'к',
  'от',
  'из',
  'у',
]);

/**
 * Long titles cut where a listener will not notice: at a clause boundary in the second half
 * of the budget if there is one, else at a word boundary, never ending on "and" or "the".
 */
export function shortenTitle(title: string, maxChars = 100): string {
  const t = title.replace(/\s+/g, ' ').trim();
  if (t.length <= maxChars) return t;
  const head = t.slice(0, maxChars + 1);
  let cut = -1;
  for (const m of head.matchAll(/[.;:!?,)(—–](?=\s)|\s[-–—]\s/g)) if (m.index !== undefined && m.index >= maxChars / 2) cut = m.index;
  let out = cut > 0 ? head.slice(0, cut) : head.slice(0, Math.max(head.lastIndexOf(' '), Math.floor(maxChars / 2)));
  let words = out.trim().split(' ');
  while (words.length > 1 && CONNECTORS.has(words[words.length - 1].toLowerCase().replace(/[^\p{L}]/gu, ''))) words = words.slice(0, -1);
  out = words.join(' ').replace(/[\s,;:(—–-]+$/, '');
  return out;
}
