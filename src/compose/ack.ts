/** Connects the acknowledge-link page to the queue (what the link is about) and to OnCall (the action). */
import type { NotificationsRepo } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { OnCallActions } from '../oncall/actions';
import type { AckRouterDeps } from '../links/router';
import { ALERT_SOURCE, type AlertPageActions } from '../ivr/alert-pages';

export function ackHandlers(
  notifications: NotificationsRepo,
  users: UsersRepo,
  actions: OnCallActions | null,
  alerts: AlertPageActions | null,
  /** Told when the link acknowledged its page (or found it already acknowledged): delivery figures. */
  acked?: (notificationId: number) => Promise<void>,
): Pick<AckRouterDeps, 'lookup' | 'acknowledge'> {
  return {
    async lookup(claims) {
      const n = await notifications.get(Number(claims.notificationId));
      if (!n) return null;
      return {
        // An alert page has no OnCall group; the marker lets the link page offer its button.
        alertGroupId: n.source === ALERT_SOURCE ? `alert:${n.id}` : n.alertGroupId,
        email: n.email,
        title: n.message.split('\n')[0].slice(0, 200),
        text: n.message.length > 200 ? n.message.slice(0, 600) : undefined,
      };
    },
    async acknowledge(req) {
      const page = await notifications.get(Number(req.notificationId));
      if (page?.source === ALERT_SOURCE && alerts) {
        const person = await users.getByEmail(req.email);
        const r = await alerts.act('acknowledge', [page], { name: person?.name ?? req.email, email: req.email });
        if (r.status === 'done' || r.status === 'already') await acked?.(page.id);
        return { status: r.status, text: r.spoken.en };
      }
      if (!actions) return { status: 'failed', text: 'OnCall is not configured in dozvon (DOZVON_ONCALL_URL), so it cannot acknowledge.' };
      const user = await users.getByEmail(req.email);
      const secrets = user ? await users.secrets(user.id) : { oncallToken: null };
      const n = await notifications.get(Number(req.notificationId));
      const channel = n?.kind === 'push' ? 'push' : 'sms';
      const r = await actions.acknowledge({
        alertGroupIds: [req.alertGroupId],
        actor: { name: user?.name ?? req.email, email: req.email, phone: user?.phone ?? null, oncallToken: secrets.oncallToken },
        channel,
      });
      if (n && (r.status === 'done' || r.status === 'already')) await acked?.(n.id);
      return { status: r.status, text: r.spoken.en };
    },
  };
}
