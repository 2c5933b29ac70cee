/**
 * The confirmation link, mounted by the app at `/verify`. GET only shows a form (link scanners and
 * chat previews open links, so GET must never confirm); POST with the code confirms. Status codes
 * say what happened: 200 verified, 422 wrong code, 410 expired, 429 too many tries, 409 a code no
 * longer in use, 400 a tampered link.
 */
import { Router, RouterT, Request, Response } from '../http/express';
import { BODY_LIMITS, parseBody } from '../http/body';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { PhoneVerifier } from './verifier';
import { codeFormPage, messagePage } from './page';
import { tokenPageHeaders } from '../links/headers';
import { sendHtml as send } from '../web/send';

export interface VerifyRouterDeps {
  verifier: Pick<PhoneVerifier, 'describeLink' | 'confirmLink' | 'checkLink'>;
  logger?: Logger;
}

const GONE = 'A newer code was sent, the code was already used, or the number changed. Ask your dozvon operator for a new code.';
const EXPIRED = 'Codes are valid for 10 minutes. Ask your dozvon operator for a new code.';
const LOCKED = 'The code was entered wrong too many times and no longer works. Ask your dozvon operator for a new code.';
const INVALID = 'It may have been cut or changed. Use the link exactly as you received it.';

export function createVerifyRouter(deps: VerifyRouterDeps): RouterT {
  const router = Router();
  router.use(tokenPageHeaders);
  router.get('/:token', (req, res) => void show(deps, req, res));
  // The form is read only for a link whose signature holds: the token is this page's authentication.
  const form = parseBody(BODY_LIMITS.pageForm, (res, e) =>
    send(res, e.status, messagePage('This request could not be read', 'bad', 'Open the link again and enter the code.')),
  );
  router.post(
    '/:token',
    (req, res, next) => (deps.verifier.checkLink(String(req.params.token)) ? form(req, res, next) : next()),
    (req, res) => void confirm(deps, req, res),
  );
  return router;
}

async function show(deps: VerifyRouterDeps, req: Request, res: Response): Promise<void> {
  try {
    const token = String(req.params.token);
    const v = await deps.verifier.describeLink(token);
    if (v.status === 'invalid') return send(res, 400, messagePage('This link is not valid', 'bad', INVALID));
    if (v.status === 'expired') return send(res, 410, messagePage('This code has expired', 'warn', EXPIRED));
    if (v.status === 'gone') return send(res, 409, messagePage('This code is no longer in use', 'warn', GONE));
    if (v.status === 'confirmed')
      return send(res, 200, messagePage('Number verified', 'ok', `${v.phone} is already verified. Nothing more to do.`));
    if (v.status === 'locked') return send(res, 429, messagePage('Too many wrong tries', 'bad', LOCKED));
    if (!('phone' in v)) return send(res, 409, messagePage('This code is no longer in use', 'warn', GONE));
    send(res, 200, codeFormPage(token, v));
  } catch (e) {
    failed(deps, res, e);
  }
}

async function confirm(deps: VerifyRouterDeps, req: Request, res: Response): Promise<void> {
  try {
    const token = String(req.params.token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.t !== undefined && body.t !== token)
      return send(res, 400, messagePage('This link is not valid', 'bad', 'The form does not match the link.'));
    // People copy codes with a space in the middle ("123 456").
    const code = typeof body.code === 'string' ? body.code.replace(/\s+/g, '') : '';
    const r = await deps.verifier.confirmLink(token, code);
    deps.logger?.info({ status: r.status }, 'verification link used');
    switch (r.status) {
      case 'ok':
        return send(res, 200, messagePage('Number verified', 'ok', 'Thank you. dozvon can now call and text this number.'));
      case 'wrong': {
        const again = await deps.verifier.describeLink(token);
        if (again.status !== 'pending' || !('phone' in again))
          return send(res, 409, messagePage('This code is no longer in use', 'warn', GONE));
        return send(res, 422, codeFormPage(token, again, 'That code is not right.'));
      }
      case 'expired':
      case 'link-expired':
        return send(res, 410, messagePage('This code has expired', 'warn', EXPIRED));
      case 'too-many-attempts':
        return send(res, 429, messagePage('Too many wrong tries', 'bad', LOCKED));
      case 'none':
        return send(res, 409, messagePage('This code is no longer in use', 'warn', GONE));
      case 'invalid':
        return send(res, 400, messagePage('This link is not valid', 'bad', INVALID));
    }
  } catch (e) {
    failed(deps, res, e);
  }
}

function failed(deps: VerifyRouterDeps, res: Response, e: unknown): void {
  deps.logger?.error({ err: errorMessage(e) }, 'verification page failed');
  if (!res.headersSent) send(res, 503, messagePage('Sorry, that failed', 'bad', 'Nothing was changed. Try again in a moment.'));
}
