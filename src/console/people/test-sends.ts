/**
 * Test call, SMS and push from the person page: one row in the queue, exactly as the admin API's
 * test call (`POST /api/admin/test-call`) enqueues it, so the real engines, senders and retries
 * deliver it; then the progress page for that row.
 */
import type { RouterT } from '../../http/express';
import type { NotificationKind } from '../../db/notifications-repo';
import type { Lang } from '../../directory/user';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { href, notice, words } from '../ui';
import { TEXTS } from './texts';
import { TEST_SOURCES, testBlocked, type TestKind } from './reach';
import { personOr404 } from './view';
import type { PersonPageSender } from './verification';

const KIND: Record<TestKind, NotificationKind> = { call: 'call', sms: 'sms', push: 'push' };

/** What the person hears or reads, in their own language. */
const TEST_TEXT: Record<TestKind, Record<Lang, string>> = {
  call: { en: 'This is a test call from dozvon.', ru: 'Это тестовый звонок от дозвона.' },
  sms: {
    en: 'dozvon test message: if you can read this, SMS pages reach you.',
    ru: 'Тестовое сообщение дозвона: если вы это читаете, SMS-вызовы до вас доходят.',
  },
  push: {
    en: 'dozvon test notification: if you can read this, push pages reach you.',
    ru: 'Тестовое уведомление дозвона: если вы это читаете, push-вызовы до вас доходят.',
  },
};

export function testSendRoutes(r: RouterT, deps: ConsoleDeps, sendPerson: PersonPageSender): void {
  for (const kind of ['call', 'sms', 'push'] as const) {
    r.post(`/:email/test-${kind}`, async (req, res) => {
      const u = await personOr404(deps, req, res);
      if (!u) return;
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const why = testBlocked(deps, u, kind);
      if (why) return sendPerson(req, res, u, 409, notice(`${t(`test.cannot.${kind}`)} ${t.dynamic(`why.${why}`) ?? why}`, 'bad'));
      const notification = await deps.people.testSend(ctx.user.actor, {
        kind: KIND[kind],
        source: TEST_SOURCES[kind],
        userId: u.id,
        email: u.email,
        message: TEST_TEXT[kind][u.lang],
        // A test has no OnCall alert group: nothing to look up, no acknowledge link.
        correlation: kind === 'call' ? null : 'none',
      });
      deps.onEnqueued(notification);
      // The script asks for the live variant (no self-refresh, events instead); without it, the refreshing page.
      const live = (req.body as Record<string, unknown>).live === '1' ? '?live=1' : '';
      res.redirect(303, `${href(ctx, 'people', u.email, 'test', notification.id)}${live}`);
    });
  }
}
