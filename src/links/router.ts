/**
 * The ack page, mounted by the app at `/ack`. GET only shows the incident and a button (link
 * scanners and chat previews open links, so GET must never act); POST with the token in the
 * form acknowledges. Expired links answer 410, tampered ones 400.
 */
import { Router, RouterT, Request, Response } from '../http/express';
import { BODY_LIMITS, parseBody } from '../http/body';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { LinkClaims, VerifyResult } from './token';
import { confirmPage, IncidentView, messagePage } from './page';
import { tokenPageHeaders } from './headers';
import { sendHtml as send } from '../web/send';

export interface AckTarget extends IncidentView {
  alertGroupId: string | null;
  email: string;
}

export interface AckRequest {
  alertGroupId: string;
  notificationId: string;
  email: string;
  via: 'link';
}

export interface AckOutcome {
  status: 'done' | 'already' | 'failed';
  /** Shown under the heading, e.g. "Already acknowledged by Alice". */
  text: string;
}

export interface AckRouterDeps {
  verify: (token: string) => VerifyResult;
  /** The notification behind a link: its alert group, person and what to show; null when gone. */
  lookup: (claims: LinkClaims) => Promise<AckTarget | null>;
  acknowledge: (req: AckRequest) => Promise<AckOutcome>;
  logger?: Logger;
}

export function createAckRouter(deps: AckRouterDeps): RouterT {
  const router = Router();
  router.use(tokenPageHeaders);

  router.get('/:token', (req, res) => void handle(deps, req, res, false));
  // The form is read only for a link whose signature holds: the token is this page's authentication.
  const form = parseBody(BODY_LIMITS.pageForm, (res, e) =>
    send(res, e.status, messagePage('This request could not be read', 'bad', 'Open the link again and press the button.')),
  );
  router.post(
    '/:token',
    (req, res, next) => (deps.verify(String(req.params.token)).ok ? form(req, res, next) : next()),
    (req, res) => void handle(deps, req, res, true),
  );
  return router;
}

async function handle(deps: AckRouterDeps, req: Request, res: Response, act: boolean): Promise<void> {
  try {
    const token = String(req.params.token);
    const formToken = (req.body as Record<string, unknown> | undefined)?.t;
    if (act && formToken !== undefined && formToken !== token)
      return void send(res, 400, messagePage('This link is not valid', 'bad', 'The form does not match the link.'));
    const v = deps.verify(token);
    if (!v.ok && v.reason === 'expired')
      return void send(
        res,
        410,
        messagePage(
          'This link has expired',
          'warn',
          'Acknowledge links are valid for a limited time. Use OnCall or answer the call instead.',
        ),
      );
    if (!v.ok)
      return void send(
        res,
        400,
        messagePage('This link is not valid', 'bad', 'It may have been cut or changed. Use the link exactly as you received it.'),
      );
    const target = await deps.lookup(v.claims);
    if (!target) return void send(res, 404, messagePage('Notification not found', 'warn', 'It may have been removed.'));
    if (!target.alertGroupId)
      return void send(
        res,
        409,
        messagePage('Cannot acknowledge from here', 'warn', 'This notification is not linked to an incident. Use OnCall instead.', target),
      );
    if (!act) return void send(res, 200, confirmPage(token, target));
    const outcome = await deps.acknowledge({
      alertGroupId: target.alertGroupId,
      notificationId: v.claims.notificationId,
      email: target.email,
      via: 'link',
    });
    deps.logger?.info(
      { notificationId: v.claims.notificationId, alertGroupId: target.alertGroupId, status: outcome.status },
      'ack link used',
    );
    if (outcome.status === 'done') return void send(res, 200, messagePage('Acknowledged', 'ok', outcome.text, target));
    if (outcome.status === 'already') return void send(res, 200, messagePage('Already acknowledged', 'warn', outcome.text, target));
    send(res, 502, messagePage('Sorry, that failed', 'bad', outcome.text || 'The incident is unchanged. Try again or use OnCall.', target));
  } catch (e) {
    deps.logger?.error({ err: errorMessage(e) }, 'ack page failed');
    if (!res.headersSent) send(res, 503, messagePage('Sorry, that failed', 'bad', 'The incident is unchanged. Try again or use OnCall.'));
  }
}
