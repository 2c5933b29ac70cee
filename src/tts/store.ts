/**
 * Rendered audio on disk (DOZVON_TTS_DIR) and how Asterisk reaches it:
 * - http: `sound:<public>/media/<name>.wav`, fetched through Asterisk's HTTP media cache;
 * - dir:  `sound:<prefix>/<name>`, the directory being mounted into Asterisk's sounds.
 * Names are an HMAC of the cache key under a secret kept in the directory: unguessable from
 * outside, yet stable across restarts so the disk cache survives them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';

export const MEDIA_ROUTE = '/media';
/** What a media file name looks like; the router refuses anything else (no path tricks). */
export const MEDIA_FILE_RE = /^[A-Za-z0-9_-]{32}\.(wav|sln16)$/;
const KEY_FILE = '.dozvon-media-key';

export interface MediaStoreOptions {
  dir: string;
  delivery: 'http' | 'dir';
  publicUrl: string;
  /** dir mode: where DOZVON_TTS_DIR appears under Asterisk's sounds directory. */
  soundPrefix?: string;
}

export interface StoredFile {
  file: string;
  bytes: number;
  mtimeMs: number;
}

export class FileMediaStore {
  private secret: Buffer | null = null;

  private readonly root: string;

  constructor(private readonly opts: MediaStoreOptions) {
    // Absolute once, here: Express's sendFile refuses a relative path (every /media answer was a
    // 500 with the default ./data/tts), and a later chdir must not move the files either.
    this.root = path.resolve(opts.dir);
  }

  get dir(): string {
    return this.root;
  }

  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    const keyPath = path.join(this.root, KEY_FILE);
    try {
      this.secret = await fs.readFile(keyPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new AppError('tts-store', `cannot read ${keyPath}: ${(e as Error).message}`, { cause: e });
      this.secret = randomBytes(32);
      await fs.writeFile(keyPath, this.secret, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
        // Another process created it first: use theirs, so both name files alike.
        if (err.code !== 'EEXIST') throw err;
        this.secret = await fs.readFile(keyPath);
      });
    }
  }

  fileFor(cacheKey: string, ext: string): string {
    if (!this.secret) throw new AppError('tts-store', 'media store used before init()');
    return `${createHmac('sha256', this.secret).update(cacheKey).digest('base64url').slice(0, 32)}.${ext}`;
  }

  mediaUri(file: string): string {
    if (this.opts.delivery === 'http') return `sound:${this.opts.publicUrl.replace(/\/*$/, '')}${MEDIA_ROUTE}/${file}`;
    return `sound:${(this.opts.soundPrefix ?? 'dozvon-tts').replace(/\/+$/, '')}/${file.replace(/\.[^.]+$/, '')}`;
  }

  /** Absolute path of a valid media name, or null. */
  pathOf(file: string): string | null {
    return MEDIA_FILE_RE.test(file) ? path.join(this.root, file) : null;
  }

  /** Written under a temporary name and renamed, so Asterisk never reads half a file. */
  async put(file: string, data: Buffer): Promise<void> {
    const target = this.pathOf(file);
    if (!target) throw new AppError('tts-store', `bad media name ${file}`);
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, data, { mode: 0o644 });
    await fs.rename(tmp, target);
  }

  async size(file: string): Promise<number | null> {
    const p = this.pathOf(file);
    if (!p) return null;
    try {
      return (await fs.stat(p)).size;
    } catch {
      return null;
    }
  }

  async remove(file: string): Promise<void> {
    const p = this.pathOf(file);
    if (!p) return;
    await fs.rm(p, { force: true });
  }

  /** Our media files, oldest first (to refill the cache after a restart). */
  async list(): Promise<StoredFile[]> {
    const names = (await fs.readdir(this.root)).filter((n) => MEDIA_FILE_RE.test(n));
    const out: StoredFile[] = [];
    for (const file of names) {
      try {
        const st = await fs.stat(path.join(this.root, file));
        out.push({ file, bytes: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Removed between readdir and stat: nothing to account for.
      }
    }
    return out.sort((a, b) => a.mtimeMs - b.mtimeMs);
  }
}
