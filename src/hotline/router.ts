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

/**
 * What a missing message's link says. Tokens are plain random strings and a deleted row leaves
 * nothing behind, so "expired" cannot be told from "never existed": a 404 (not a 410) that names
 * the retention, so whoever follows an old link from OnCall knows why it is gone.
 */
export function missingMessageText(keepDays: number | null): string {
  if (keepDays === null) return 'no such message: it never existed, or it was deleted by the voicemail retention policy';
  if (keepDays === 0) return 'no such message: voicemails are kept for ever here, so this link never pointed to one';
  return `no such message: it never existed, or it was deleted — voicemails are kept for ${keepDays} day${keepDays === 1 ? '' : 's'} (retention.hotline_voicemail_days)`;
}

/** Mount at the root of the app: the route carries its own prefix, the one messageUrl() writes. */
export function createHotlineRouter(deps: {
  messages: Pick<HotlineMessagesRepo, 'audio'> & Partial<Pick<HotlineMessagesRepo, 'keepDays'>>;
  logger: Logger;
}): RouterT {
  const router = Router();
  const notFound = () => ({ error: 'not-found', message: missingMessageText(deps.messages.keepDays?.() ?? null) });
  router.get(`${HOTLINE_MESSAGES_ROUTE}/:file`, (req, res) => {
    res.set({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'X-Content-Type-Options': 'nosniff',
    });
    const m = /^([A-Za-z0-9_-]{20,64})(?:\.wav)?$/.exec(String(req.params.file));
    if (!m) {
      res.status(404).json(notFound());
      return;
    }
    deps.messages.audio(m[1]).then(
      (found) => {
        if (!found) return void res.status(404).json(notFound());
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
