/** The Asterisk source tarball to build: DOZVON_TEST_ASTERISK_SRC, else the newest in ../shared/asterisk (beside the project). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function sourceTarball(): string {
  if (process.env.DOZVON_TEST_ASTERISK_SRC) return process.env.DOZVON_TEST_ASTERISK_SRC;
  const dir = path.resolve(__dirname, '../../../../shared/asterisk');
  const tar = readdirSync(dir)
    .filter((f) => /^asterisk-.*\.tar\.gz$/.test(f))
    .sort()
    .pop();
  if (!tar) throw new Error('set DOZVON_TEST_ASTERISK_SRC to an Asterisk source tarball');
  return path.join(dir, tar);
}
