/**
 * npm run sounds: renders sounds/catalogue.yaml with espeak-ng into
 * sounds/<lang>/dozvon/<id>.wav (8 kHz mono WAV), the layout Asterisk reads. Run it after
 * editing the catalogue and commit the result; `--check` only reports missing files.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { AudioConverter } from '../src/tts/audio/convert';
import { EspeakSynthesizer } from '../src/tts/espeak';
import { loadCatalogue, PROMPT_DIR, PROMPT_IDS } from '../src/tts/prompts';
import { LANGS } from '../src/tts/types';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../sounds');
  const check = process.argv.includes('--check');
  const catalogue = loadCatalogue(path.join(root, 'catalogue.yaml'));
  const missing = PROMPT_IDS.filter((id) => !catalogue.prompts[id]);
  if (missing.length) throw new Error(`catalogue lacks prompts: ${missing.join(', ')}`);
  const synth = new EspeakSynthesizer({ timeoutMs: 30_000 });
  const converter = new AudioConverter('wav8');
  const ids = Object.keys(catalogue.prompts);
  const total = ids.length * LANGS.length;
  let n = 0;
  let absent = 0;
  for (const lang of LANGS) {
    const dir = path.join(root, lang, PROMPT_DIR);
    mkdirSync(dir, { recursive: true });
    for (const id of ids) {
      n++;
      const file = path.join(dir, `${id}.wav`);
      if (check) {
        if (!existsSync(file)) {
          absent++;
          console.log(`missing ${path.relative(process.cwd(), file)}`);
        }
        continue;
      }
      const text = catalogue.prompts[id][lang];
      const wav = converter.convert(await synth.synthesize(text, lang));
      writeFileSync(file, wav);
      console.log(
        `[${String(n).padStart(3)}/${total}] ${lang}/${PROMPT_DIR}/${id}.wav  ${((wav.length - 44) / 16000).toFixed(1)} s  "${text}"`,
      );
    }
  }
  if (check && absent) process.exitCode = 1;
  else console.log(check ? `all ${total} prompt files present` : `wrote ${total} files under ${path.relative(process.cwd(), root)}`);
}

main().catch((e: Error) => {
  console.error(`sounds: ${e.message}`);
  process.exitCode = 1;
});
