/**
 * DOZVON_TTS_DIR is shared with Asterisk in `dir` mode, so whoever can write there can leave a
 * symlink with a media file's name. The path check on the name proves nothing about where the
 * link points: a file is served or read only when its real path is inside the real path of its
 * folder.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The real path of the regular file `file` (relative to `root`, or absolute) when it stays inside
 * `root` under a name that is not hidden (the store keeps its naming key in a dotfile); null
 * otherwise, or when it is missing.
 */
export async function realPathInside(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(path.resolve(root, file))]);
    if (!real.startsWith(realRoot + path.sep) || path.basename(real).startsWith('.')) return null;
    return (await fs.stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
