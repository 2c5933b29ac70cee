/**
 * make_call and send_sms as direct routes (http/direct.ts), answered without Express: the same
 * token check and failure count, body limits and page intake as their Express routes in
 * notify.ts, in the same order, so either way a request gets the same answer.
 */
import { DirectAnswer } from '../http/answer';
import { cloudTokenAccepted } from '../http/auth';
import { BODY_LIMITS, BODY_REFUSED, readBody, sendDetailBodyError } from '../http/body';
import type { DirectRoute } from '../http/direct';
import type { FailureLimiter } from '../http/limiter';
import type { CloudDeps } from './deps';
import { acceptPage } from './notify';

export function directPageRoutes(deps: CloudDeps, failures: FailureLimiter): DirectRoute[] {
  const route = (path: string, kind: 'call' | 'sms'): DirectRoute => ({
    method: 'POST',
    path,
    handle: async (req, res) => {
      const answer = new DirectAnswer(req, res);
      if (!cloudTokenAccepted(deps.config.cloudTokens, failures, req, answer)) return;
      const body = await readBody(req, answer, BODY_LIMITS.oncallForm, sendDetailBodyError);
      if (body === BODY_REFUSED) return;
      await acceptPage(deps, kind, body, answer);
    },
  });
  return [route('/api/v1/make_call', 'call'), route('/api/v1/send_sms', 'sms')];
}
