/** GET <public>/media/<name>.wav for Asterisk's HTTP media cache (DOZVON_TTS_DELIVERY=http). */
import { Router, RouterT } from '../http/express';
import { FORMAT_INFO } from './audio/convert';
import { MEDIA_ROUTE, type FileMediaStore } from './store';

const TYPES: Record<string, string> = Object.fromEntries(Object.values(FORMAT_INFO).map((f) => [f.ext, f.contentType]));

/** Mount at the root of the app: the route carries its own /media prefix, the same one mediaUri() writes. */
export function createMediaRouter(store: FileMediaStore): RouterT {
  const router = Router();
  router.get(`${MEDIA_ROUTE}/:file`, (req, res) => {
    const file = String(req.params.file);
    const full = store.pathOf(file);
    if (!full) {
      res.status(404).json({ error: 'not-found', message: 'no such media' });
      return;
    }
    res.setHeader('Content-Type', TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream');
    // Same name means same audio (names derive from the text), so caching is safe.
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.sendFile(full, { dotfiles: 'deny' }, (err?: Error & { status?: number; code?: string }) => {
      if (!err || res.headersSent) return;
      const missing = err.code === 'ENOENT' || err.status === 404;
      res.removeHeader('Cache-Control');
      res.status(missing ? 404 : 500).json({ error: missing ? 'not-found' : 'internal', message: missing ? 'no such media' : 'cannot read media' });
    });
  });
  return router;
}
