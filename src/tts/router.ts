/**
 * GET <public>/media/… for Asterisk's HTTP media cache:
 * - /media/<name>.wav: speech dozvon rendered (DOZVON_TTS_DELIVERY=http);
 * - /media/prompts/<lang>/<id>.wav: the recorded prompts, for an Asterisk that does not have
 *   them installed under sounds/<lang>/dozvon (then ARI + HTTP is all it needs).
 * Errors are JSON with a JSON content type, never a 500 for a missing file.
 */
import path from 'node:path';
import type { Response } from 'express';
import { Router, RouterT } from '../http/express';
import { FORMAT_INFO } from './audio/convert';
import { MEDIA_ROUTE, type FileMediaStore } from './store';
import { PROMPT_DIR, PROMPT_IDS, SOUNDS_ROOT } from './prompts';
import { LANGS } from './types';
import { realPathInside } from './contained';

const TYPES: Record<string, string> = Object.fromEntries(Object.values(FORMAT_INFO).map((f) => [f.ext, f.contentType]));

/**
 * `root` keeps the dotfiles rule to the file's own name: given a whole path, sendFile refuses
 * any folder that starts with a dot (~/.cache/dozvon/tts, ./.data/tts) as a hidden file.
 */
async function send(res: Response, root: string, file: string, ext: string): Promise<void> {
  const real = await realPathInside(root, file);
  if (real === null) return notFound(res);
  res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
  // Same name means same audio (names derive from the text), so caching is safe.
  res.setHeader('Cache-Control', 'private, max-age=86400');
  res.sendFile(path.basename(real), { root: path.dirname(real), dotfiles: 'deny' }, (err?: Error & { status?: number; code?: string }) => {
    if (!err || res.headersSent) return;
    const missing = err.code === 'ENOENT' || err.status === 404;
    res.removeHeader('Cache-Control');
    // res.json() keeps a Content-Type already set: without this the error went out as audio/wav.
    res.removeHeader('Content-Type');
    res
      .status(missing ? 404 : 500)
      .json({ error: missing ? 'not-found' : 'internal', message: missing ? 'no such media' : 'cannot read media' });
  });
}

function notFound(res: Response): void {
  res.status(404).json({ error: 'not-found', message: 'no such media' });
}

/** Mount at the root of the app: the routes carry their own /media prefix, the same one mediaUri() writes. */
export function createMediaRouter(store: FileMediaStore): RouterT {
  const router = Router();
  router.get(`${MEDIA_ROUTE}/prompts/:lang/:file`, (req, res) => {
    const lang = String(req.params.lang);
    const m = /^([a-z_]+)\.wav$/.exec(String(req.params.file));
    if (!m || !(LANGS as readonly string[]).includes(lang) || !(PROMPT_IDS as readonly string[]).includes(m[1])) return notFound(res);
    return send(res, path.join(SOUNDS_ROOT, lang, PROMPT_DIR), `${m[1]}.wav`, 'wav');
  });
  router.get(`${MEDIA_ROUTE}/:file`, (req, res) => {
    const file = String(req.params.file);
    if (!store.pathOf(file)) return notFound(res);
    return send(res, store.dir, file, file.slice(file.lastIndexOf('.') + 1));
  });
  return router;
}
