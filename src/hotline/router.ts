/**
 * GET <public>/hotline/messages/<token>.wav: a left message, for whoever follows the link in the
 * OnCall alert. The token is the only secret (~190 bits), so it stays out of logs, referrers and caches.
 */
import { Router, RouterT } from '../http/express';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { HotlineMessagesRepo } from './messages-repo';

export const HOTLINE_MESSAGES_ROUTE = '/hotline/messages';

export function messageUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${HOTLINE_MESSAGES_ROUTE}/${token}.wav`;
}

/** Mount at the root of the app: the route carries its own prefix, the one messageUrl() writes. */
export function createHotlineRouter(deps: { messages: Pick<HotlineMessagesRepo, 'audio'>; logger: Logger }): RouterT {
  const router = Router();
  router.get(`${HOTLINE_MESSAGES_ROUTE}/:file`, (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex', 'X-Content-Type-Options': 'nosniff' });
    const m = /^([A-Za-z0-9_-]{20,64})(?:\.wav)?$/.exec(String(req.params.file));
    if (!m) {
      res.status(404).json({ error: 'not-found', message: 'no such message' });
      return;
    }
    deps.messages.audio(m[1]).then(
      (found) => {
        if (!found) return void res.status(404).json({ error: 'not-found', message: 'no such message' });
        res.setHeader('Content-Type', found.contentType);
        res.setHeader('Content-Disposition', 'inline; filename="hotline-message.wav"');
        res.end(found.audio);
      },
      (err: unknown) => {
        deps.logger.error({ err: errorMessage(err) }, 'hotline message unreadable');
        res.status(500).json({ error: 'internal', message: 'cannot read the message' });
      },
    );
  });
  return router;
}
