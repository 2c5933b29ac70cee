/**
 * Pre-recorded prompts (sounds/catalogue.yaml → sounds/<lang>/dozvon/<id>.wav) and the `none`
 * engine built from them: it cannot read a title, but it can say the shape of a summary
 * ("incident … 3 alerts … started 5 minutes ago") with prompts and Asterisk's number sounds,
 * so a call still carries its meaning when every speech engine is gone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import { parseYaml } from '../core/yaml';
import { z } from '../core/validate';
import { normaliseForSpeech, stripMarkup } from './normalise';
import { pluralIndex } from './words';
import { LANGS, Lang, Speech, Tts, TtsHealth } from './types';

export const PROMPT_IDS = [
  'greeting',
  'menu',
  'acknowledged',
  'resolved',
  'escalated',
  'one_moment',
  'failed',
  'no_response',
  'goodbye',
  'you_have',
  'incident',
  'incidents_few',
  'incidents',
  'alert',
  'alerts_few',
  'alerts',
  'started',
  'minutes_ago',
  'hours_ago',
  'first',
  'next',
  'hotline_welcome',
  'there_are',
  'open_incident',
  'open_incidents_few',
  'open_incidents',
  'hotline_menu',
  'enter_pin',
  'wrong_pin',
  'connecting_to',
  'nobody_answered',
  'test_call',
  'got_it',
  'not_identified',
  'voicemail_left',
] as const;
export type PromptId = (typeof PROMPT_IDS)[number];

/** Where Asterisk finds the prompts: sounds/<lang>/dozvon/<id>.wav, chosen by the play request's lang. */
export const PROMPT_DIR = 'dozvon';
export const SOUNDS_ROOT = path.resolve(__dirname, '../../sounds');
export const DEFAULT_CATALOGUE = path.join(SOUNDS_ROOT, 'catalogue.yaml');

const entrySchema = z.object({
  en: z.string().min(1),
  ru: z.string().min(1),
  match: z.object({ en: z.array(z.string()).optional(), ru: z.array(z.string()).optional() }).optional(),
});
const catalogueSchema = z.object({ prompts: z.record(z.string(), entrySchema) });
export type Catalogue = z.infer<typeof catalogueSchema>;

export function loadCatalogue(file = DEFAULT_CATALOGUE): Catalogue {
  const parsed = catalogueSchema.safeParse(parseYaml(readFileSync(file, 'utf8'), file));
  if (!parsed.success) throw new AppError('tts-catalogue', `${file}: ${parsed.error.message}`);
  return parsed.data;
}

/** ARI media URI of a fixed prompt; play it with `lang` so Asterisk picks sounds/<lang>/. */
export function promptMedia(id: PromptId, lang: Lang): string {
  if (!PROMPT_IDS.includes(id) || !LANGS.includes(lang)) throw new AppError('tts-prompt', `unknown prompt ${id}/${lang}`);
  return `sound:${PROMPT_DIR}/${id}`;
}

const PROMPT_URI_RE = new RegExp(`^sound:${PROMPT_DIR}/([a-z_]+)$`);

/**
 * The same prompt served by dozvon over HTTP (GET /media/prompts/<lang>/<id>.wav), for an
 * Asterisk without dozvon's sounds installed; null for media that is not one of our prompts.
 */
export function promptOverHttp(uri: string, lang: string, publicUrl: string): string | null {
  const m = PROMPT_URI_RE.exec(uri);
  if (!m || !(PROMPT_IDS as readonly string[]).includes(m[1]) || !(LANGS as readonly string[]).includes(lang)) return null;
  return `sound:${publicUrl.replace(/\/*$/, '')}/media/prompts/${lang}/${m[1]}.wav`;
}

/** "3 open incidents" as media: number then the noun in the form the count needs (1 / 2–4 / 5+ in Russian). */
export function countMedia(n: number, noun: 'incident' | 'alert' | 'open_incident', lang: Lang): string[] {
  const forms: Record<typeof noun, [PromptId, PromptId, PromptId]> = {
    incident: ['incident', 'incidents_few', 'incidents'],
    alert: ['alert', 'alerts_few', 'alerts'],
    open_incident: ['open_incident', 'open_incidents_few', 'open_incidents'],
  };
  const form = pluralIndex(Math.trunc(n), lang);
  // English has no "few" form: its plural is the many form.
  return [`number:${Math.trunc(n)}`, promptMedia(forms[noun][lang === 'en' && form === 1 ? 2 : form], lang)];
}

/** DOZVON_TTS=none, and the last link of every fallback chain: never fails for a non-empty text. */
export class PromptTts implements Tts {
  private readonly phrases: Record<Lang, { words: string[]; id: PromptId }[]>;

  constructor(
    catalogue: Catalogue = loadCatalogue(),
    private readonly fqdnRegex?: RegExp,
  ) {
    this.phrases = { en: [], ru: [] };
    for (const [id, entry] of Object.entries(catalogue.prompts)) {
      if (!PROMPT_IDS.includes(id as PromptId)) continue;
      for (const lang of LANGS) for (const p of entry.match?.[lang] ?? []) this.phrases[lang].push({ words: words(p), id: id as PromptId });
    }
    // Longest phrase first: "minutes ago" must win over a lone "minutes".
    for (const lang of LANGS) this.phrases[lang].sort((a, b) => b.words.length - a.words.length);
  }

  async render(text: string, lang: Lang): Promise<Speech> {
    // Host names and versions would come out as stray numbers ("db-01" → "one"): drop them.
    const bare = stripMarkup(text).replace(/[\p{L}\p{N}]+(?:[.\-_:][\p{L}\p{N}]+)+/gu, (m) => (/[\d.]/.test(m) ? ' ' : m));
    const tokens = words(normaliseForSpeech(bare, lang, { fqdnRegex: this.fqdnRegex }));
    const media: string[] = [];
    for (let i = 0; i < tokens.length;) {
      const hit = this.phrases[lang].find((p) => p.words.every((w, k) => tokens[i + k] === w));
      if (hit) {
        media.push(promptMedia(hit.id, lang));
        i += hit.words.length;
      } else {
        if (/^\d{1,9}$/.test(tokens[i])) media.push(`number:${Number(tokens[i])}`);
        i += 1;
      }
    }
    // Nothing we can say word for word: at least tell them there is an incident.
    if (!media.some((m) => m.startsWith('sound:'))) media.unshift(promptMedia('incident', lang));
    return { media, lang, engine: 'none', cached: true };
  }

  async health(): Promise<TtsHealth> {
    return { ok: true, engines: [{ engine: 'none', ok: true }] };
  }
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}
