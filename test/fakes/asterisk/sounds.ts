/**
 * The fake's sounds directory. Asterisk looks a `sound:<name>` up as `<sounds>/<lang>/<name>.<ext>`,
 * then with the language cut at each `_` (en_GB → en), then `<sounds>/<name>.<ext>`; a name found
 * nowhere fails the playback. The fake's sounds directory is the union of:
 * - folders laid out like Asterisk's (the project's sounds/, with sounds/<lang>/dozvon/*.wav as
 *   docker/compose.yaml mounts them, plus any a test adds), read for real: a file that does not
 *   open as audio fails like a missing one;
 * - the names from Asterisk's core sounds packages (en, ru) that dozvon or these tests play,
 *   with their approximate lengths; the files themselves are not needed.
 * `number:N`, `digits:N` and `characters:X` are spoken from the core digits/letters sounds, so
 * they play only in a language that has them.
 */
import { existsSync, promises as fs, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkAudio, KNOWN_EXTENSIONS } from './audio-format';

export type SoundCheck = { ok: true; durationMs: number } | { ok: false; reason: string };

/** The project's own prompts (sounds/<lang>/dozvon/<id>.wav). */
export const PROJECT_SOUNDS = path.resolve(__dirname, '../../../sounds');

/** Assumed length of one spoken number word or digit (the core digits run 0.5–0.9 s). */
export const SAY_WORD_MS = 600;

/**
 * Core sounds (asterisk-core-sounds-en/-ru, which scripts/asterisk/build.sh installs) with their
 * length in ms, rounded from the en recordings. src/ plays digits/* (through number: and digits:)
 * and silence/1 (src/verify/call.ts); the tests of the fake itself use hello-world, tt-monkeys,
 * tt-weasels and beep as arbitrary prompts.
 */
function coreSounds(): Map<string, number> {
  const m = new Map<string, number>([
    ['hello-world', 1400],
    ['tt-monkeys', 16200],
    ['tt-weasels', 2950],
    ['beep', 430],
  ]);
  for (let n = 1; n <= 10; n++) m.set(`silence/${n}`, n * 1000);
  const digits = [
    ...Array.from({ length: 21 }, (_, i) => String(i)),
    '30',
    '40',
    '50',
    '60',
    '70',
    '80',
    '90',
    'hundred',
    'thousand',
    'million',
    'billion',
    'minus',
    'oh',
    'star',
    'pound',
  ];
  for (const d of digits) m.set(`digits/${d}`, 700);
  return m;
}

const CORE: Record<string, Map<string, number>> = { en: coreSounds(), ru: coreSounds() };
// Russian's feminine/neuter "one" and "two".
CORE.ru.set('digits/1n', 600).set('digits/2n', 600);

/** en_GB_x → [en_GB_x, en_GB, en], then '' for the language-less root. */
function languageDirs(lang: string): string[] {
  const parts = lang.split('_').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length; i > 0; i--) out.push(parts.slice(0, i).join('_'));
  return [...out, ''];
}

export class SoundLibrary {
  private readonly roots: string[];
  /** Parsed lengths of files already read, keyed by path and re-read when the file changes. */
  private readonly read = new Map<string, { mtimeMs: number; size: number; check: SoundCheck }>();

  constructor(extraRoots: string[] = []) {
    this.roots = [PROJECT_SOUNDS, ...extraRoots.map((r) => path.resolve(r))];
  }

  /** `sound:<name>` in `lang`. */
  async sound(name: string, lang: string): Promise<SoundCheck> {
    if (name === '' || name.split('/').includes('..')) return { ok: false, reason: `bad sound name ${JSON.stringify(name)}` };
    // An absolute path plays that file (without its extension), wherever it is.
    if (path.isAbsolute(name)) return (await this.file(name)) ?? { ok: false, reason: `no file ${name}.<ext>` };
    for (const dir of languageDirs(lang)) {
      for (const root of this.roots) {
        const found = await this.file(path.join(root, dir, name));
        if (found) return found;
      }
      const core = dir ? CORE[dir]?.get(name) : undefined;
      if (core !== undefined) return { ok: true, durationMs: core };
    }
    return { ok: false, reason: `sound ${name} is not installed for language ${lang}` };
  }

  /**
   * `GET /ari/sounds/{name}`: the languages and formats a sound is installed in (empty: 404).
   * Synchronous because the REST routes are; it only stats a few paths.
   */
  describe(name: string): { language: string; format: string }[] {
    if (name === '' || name.split('/').includes('..') || path.isAbsolute(name)) return [];
    const out: { language: string; format: string }[] = [];
    const add = (language: string, format: string) => {
      if (!out.some((f) => f.language === language && f.format === format)) out.push({ language, format });
    };
    for (const root of this.roots) {
      for (const language of safeDirs(root)) {
        for (const ext of KNOWN_EXTENSIONS) if (existsSync(path.join(root, language, `${name}.${ext}`))) add(language, FORMAT_NAMES[ext]);
      }
    }
    for (const [language, names] of Object.entries(CORE)) if (names.has(name)) add(language, 'wav');
    return out;
  }

  /** `number:N`, `digits:N` or `characters:X` in `lang`. */
  async say(kind: 'number' | 'digits' | 'characters', value: string, lang: string): Promise<SoundCheck> {
    if (!(await this.canSay(kind, lang)))
      return { ok: false, reason: `no ${kind === 'characters' ? 'letters' : 'digits'} sounds for language ${lang}` };
    const v = value.split(',')[0]; // options after a comma (number:5,f)
    if (kind === 'number') {
      if (!/^-?\d+$/.test(v)) return { ok: false, reason: `number:${value} is not an integer` };
      return { ok: true, durationMs: numberWords(Math.abs(Number(v))) * SAY_WORD_MS + (v.startsWith('-') ? SAY_WORD_MS : 0) };
    }
    const said = kind === 'digits' ? v.replace(/[^0-9*#]/g, '') : v;
    if (said.length === 0) return { ok: false, reason: `${kind}:${value} says nothing` };
    return { ok: true, durationMs: said.length * SAY_WORD_MS };
  }

  private async canSay(kind: 'number' | 'digits' | 'characters', lang: string): Promise<boolean> {
    const probe = kind === 'characters' ? 'letters' : 'digits';
    for (const dir of languageDirs(lang)) {
      if (dir && CORE[dir]) return true; // both core packages have digits/ and letters/
      for (const root of this.roots) {
        if (await isDir(path.join(root, dir, probe))) return true;
      }
    }
    return false;
  }

  /** `<base>.<ext>` for the first extension present: its length, or why it does not play; null if none exists. */
  private async file(base: string): Promise<SoundCheck | null> {
    for (const ext of KNOWN_EXTENSIONS) {
      const p = `${base}.${ext}`;
      let st;
      try {
        st = await fs.stat(p);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const cached = this.read.get(p);
      if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.check;
      const audio = checkAudio(ext, await fs.readFile(p));
      const check: SoundCheck = audio.ok ? audio : { ok: false, reason: `${p}: ${audio.reason}` };
      this.read.set(p, { mtimeMs: st.mtimeMs, size: st.size, check });
      return check;
    }
    return null;
  }
}

/** Asterisk's format name for each file extension, as `GET /sounds` reports it. */
const FORMAT_NAMES: Record<string, string> = {
  wav: 'wav',
  sln16: 'slin16',
  sln: 'slin',
  gsm: 'gsm',
  ulaw: 'ulaw',
  alaw: 'alaw',
  g722: 'g722',
};

/** Language folders of a sounds root (none when the root is missing). */
function safeDirs(root: string): string[] {
  try {
    return readdirSync(root).filter((d) => statSync(path.join(root, d)).isDirectory());
  } catch {
    return [];
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Words in a spoken number: 21 → "twenty one", 300 → "three hundred", 1005 → "one thousand five". */
export function numberWords(n: number): number {
  if (n <= 20) return 1;
  if (n < 100) return n % 10 ? 2 : 1;
  for (const unit of [1e9, 1e6, 1e3, 100]) {
    if (n >= unit) return numberWords(Math.floor(n / unit)) + 1 + (n % unit ? numberWords(n % unit) : 0);
  }
  return 1;
}
