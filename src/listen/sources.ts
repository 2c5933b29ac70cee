/**
 * Where the audio behind one ARI media URI lives on this machine, decided from the URI alone (no
 * I/O, never the network): rendered speech in DOZVON_TTS_DIR, recorded prompts under sounds/.
 * Asterisk's own core sounds (number:, digits/…) are not shipped with dozvon: they get a
 * plausible length of silence and say so. Anything else (another host, a path trick, an unknown
 * scheme) is refused. Every path is built from names that matched a strict pattern and is checked
 * to stay inside its root; only firstExisting() then looks at the disk, where a link must not lead
 * out of its folder either.
 */
import path from 'node:path';
import { realPathInside } from '../tts/contained';
import { MEDIA_FILE_RE, MEDIA_ROUTE } from '../tts/store';
import { PROMPT_DIR, PROMPT_IDS } from '../tts/prompts';
import { LANGS } from '../tts/types';

export interface ListenRoots {
  /** DOZVON_TTS_DIR, resolved. */
  ttsDir: string;
  /** The prompts' sounds/ folder (sounds/<lang>/dozvon/<id>.wav). */
  soundsRoot: string;
  /** DOZVON_PUBLIC_URL: rendered speech and prompts over HTTP are ours only under it. */
  publicUrl: string;
  /** DOZVON_TTS_DELIVERY=dir: where the speech folder appears in Asterisk's sounds (FileMediaStore's default). */
  ttsSoundPrefix?: string;
}

/** What an item was, for the list beside the player. */
export type PlayedWhat =
  | { type: 'prompt'; id: string }
  | { type: 'speech'; role: 'summary' | 'reply' }
  | { type: 'number'; value: string }
  | { type: 'digits'; value: string }
  | { type: 'characters'; value: string }
  | { type: 'digit'; value: string }
  | { type: 'sound'; name: string }
  | { type: 'silence'; ms: number }
  | { type: 'other'; uri: string };

export type AudioFormat = 'wav' | 'sln' | 'sln16';

/** A file Asterisk may have played, and the folder it must really be in. */
export interface Candidate {
  path: string;
  format: AudioFormat;
  root: string;
}

export type Resolved =
  /** A file of ours; the first candidate that exists is the one Asterisk would have played. */
  | { kind: 'file'; what: PlayedWhat; candidates: Candidate[] }
  /** Silence that is exactly what was played (sound:silence/N). */
  | { kind: 'silence'; what: PlayedWhat; ms: number }
  /** Played by Asterisk from its own sounds: not here, so silence of about this length stands in. */
  | { kind: 'asterisk'; what: PlayedWhat; ms: number }
  | { kind: 'refused'; what: PlayedWhat; reason: 'foreign' | 'unsafe' | 'unknown' };

/** Rough length of one spoken word or digit of Asterisk's core sounds (they run 0.5–0.9 s). */
export const SAY_WORD_MS = 600;
/** Rough length of one core sound file (digits/5, beep…). */
export const CORE_SOUND_MS = 700;
const PROMPT_FORMATS: AudioFormat[] = ['wav', 'sln16', 'sln'];
const SAFE_SOUND = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;
const DEFAULT_TTS_PREFIX = 'dozvon-tts';

export function resolveMedia(uri: string, lang: string, roots: ListenRoots): Resolved {
  const colon = uri.indexOf(':');
  const scheme = colon > 0 ? uri.slice(0, colon) : '';
  const rest = uri.slice(colon + 1);
  const other: PlayedWhat = { type: 'other', uri };
  switch (scheme) {
    case 'sound':
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(rest) ? overHttp(rest, roots, other) : namedSound(rest, lang, roots, other);
    case 'number': {
      const v = rest.split(',')[0];
      if (!/^-?\d{1,12}$/.test(v)) return { kind: 'refused', what: other, reason: 'unknown' };
      return {
        kind: 'asterisk',
        what: { type: 'number', value: v },
        ms: (numberWords(Math.abs(Number(v))) + (v.startsWith('-') ? 1 : 0)) * SAY_WORD_MS,
      };
    }
    case 'digits': {
      const v = rest.split(',')[0].replace(/[^0-9*#]/g, '');
      if (!v || v.length > 64) return { kind: 'refused', what: other, reason: 'unknown' };
      return { kind: 'asterisk', what: { type: 'digits', value: v }, ms: v.length * SAY_WORD_MS };
    }
    case 'characters': {
      const v = rest.split(',')[0];
      if (!v || v.length > 64) return { kind: 'refused', what: other, reason: 'unknown' };
      return { kind: 'asterisk', what: { type: 'characters', value: v }, ms: v.length * SAY_WORD_MS };
    }
    default:
      return { kind: 'refused', what: other, reason: 'unknown' };
  }
}

/** `sound:<publicUrl>/media/<file>` or `…/media/prompts/<lang>/<id>.wav`; any query (a signature) is ignored. */
function overHttp(raw: string, roots: ListenRoots, other: PlayedWhat): Resolved {
  let url: URL;
  let ours: URL;
  try {
    url = new URL(raw);
    ours = new URL(roots.publicUrl);
  } catch {
    return { kind: 'refused', what: other, reason: 'unknown' };
  }
  const base = ours.pathname.replace(/\/*$/, '') + MEDIA_ROUTE + '/';
  if (url.origin !== ours.origin || !url.pathname.startsWith(base)) return { kind: 'refused', what: other, reason: 'foreign' };
  const tail = url.pathname.slice(base.length);
  if (MEDIA_FILE_RE.test(tail)) return speechFile(roots.ttsDir, [tail]);
  const prompt = /^prompts\/([a-z]{2})\/([a-z_]+)\.wav$/.exec(tail);
  if (prompt) return promptFile(prompt[2], prompt[1], roots, other);
  return { kind: 'refused', what: other, reason: tail.includes('..') || tail.includes('%') ? 'unsafe' : 'unknown' };
}

function namedSound(name: string, lang: string, roots: ListenRoots, other: PlayedWhat): Resolved {
  if (!SAFE_SOUND.test(name)) return { kind: 'refused', what: other, reason: 'unsafe' };
  const slash = name.indexOf('/');
  const dir = slash > 0 ? name.slice(0, slash) : '';
  const leaf = name.slice(slash + 1);
  if (dir === PROMPT_DIR) return promptFile(leaf, lang, roots, other);
  if (dir === (roots.ttsSoundPrefix ?? DEFAULT_TTS_PREFIX).replace(/\/+$/, '') && MEDIA_FILE_RE.test(`${leaf}.wav`))
    return speechFile(roots.ttsDir, [`${leaf}.wav`, `${leaf}.sln16`]);
  const silence = /^silence\/(\d{1,2})$/.exec(name);
  if (silence && Number(silence[1]) >= 1 && Number(silence[1]) <= 10)
    return { kind: 'silence', what: { type: 'silence', ms: Number(silence[1]) * 1000 }, ms: Number(silence[1]) * 1000 };
  if (dir === 'digits') return { kind: 'asterisk', what: { type: 'digit', value: leaf }, ms: CORE_SOUND_MS };
  return { kind: 'asterisk', what: { type: 'sound', name }, ms: CORE_SOUND_MS };
}

function speechFile(ttsDir: string, files: string[]): Resolved {
  const candidates = files
    .filter((f) => MEDIA_FILE_RE.test(f))
    .map((f) => ({ path: inside(ttsDir, f), format: (f.endsWith('.sln16') ? 'sln16' : 'wav') as AudioFormat, root: ttsDir }));
  return { kind: 'file', what: { type: 'speech', role: 'summary' }, candidates };
}

/** sounds/<lang>/dozvon/<id>.<ext>, the language cut at "_" as Asterisk looks it up (en_GB → en). */
function promptFile(id: string, lang: string, roots: ListenRoots, other: PlayedWhat): Resolved {
  const base = lang.split('_')[0];
  if (!(PROMPT_IDS as readonly string[]).includes(id)) return { kind: 'refused', what: other, reason: 'unknown' };
  if (!(LANGS as readonly string[]).includes(base)) return { kind: 'refused', what: other, reason: 'unknown' };
  return {
    kind: 'file',
    what: { type: 'prompt', id },
    candidates: PROMPT_FORMATS.map((format) => ({
      path: inside(roots.soundsRoot, path.join(base, PROMPT_DIR, `${id}.${format}`)),
      format,
      root: path.join(roots.soundsRoot, base, PROMPT_DIR),
    })),
  };
}

/**
 * The first candidate that exists, as Asterisk tries formats in turn, by its real path: a symlink
 * left in the shared speech folder is not followed out of it (Listen would play any file the
 * process can read).
 */
export async function firstExisting(candidates: readonly Candidate[]): Promise<{ path: string; format: AudioFormat } | null> {
  for (const c of candidates) {
    const real = await realPathInside(c.root, c.path);
    if (real !== null) return { path: real, format: c.format };
  }
  return null;
}

/** Joins and proves the result stays under root (the names were already checked; this is the second lock). */
function inside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const top = path.resolve(root);
  if (!abs.startsWith(top + path.sep)) throw new Error(`media path escapes its folder: ${rel}`);
  return abs;
}

/** Words Asterisk says for a number: 21 → "twenty one" (2), 300 → "three hundred" (2). */
export function numberWords(n: number): number {
  if (n <= 20) return 1;
  if (n < 100) return n % 10 ? 2 : 1;
  for (const unit of [1e9, 1e6, 1e3, 100]) {
    if (n >= unit) return numberWords(Math.floor(n / unit)) + 1 + (n % unit ? numberWords(n % unit) : 0);
  }
  return 1;
}
