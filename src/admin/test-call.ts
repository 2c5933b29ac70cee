/**
 * POST /api/admin/test-call: `dozvon call` asks the running server to place a test call
 * through the normal queue and engine (one ARI connection per app: a second process must not
 * open its own), and waits for the outcome.
 */
import { Router, RouterT } from '../http/express';
import { z, describeIssues } from '../core/validate';
import type { UsersRepo } from '../directory/users-repo';
import type { NotificationsRepo, Notification } from '../db/notifications-repo';
import { notificationView } from './notifications';
import { firstUsableKind } from '../dispatch/direct-pager';

const body = z
  .object({
    email: z.string().min(3).max(254),
    text: z.string().trim().min(1).max(1024),
    wait_seconds: z.number().int().min(0).max(600).optional(),
  })
  .strict();

export function testCallRouter(deps: {
  users: UsersRepo;
  notifications: NotificationsRepo;
  onEnqueued: (n: Notification) => void;
}): RouterT {
  const r = Router({ strict: false });
  r.post('/test-call', async (req, res) => {
    const parsed = body.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid', detail: describeIssues(parsed.error) });
      return;
    }
    const user = await deps.users.getByEmail(parsed.data.email);
    if (!user) {
      res.status(404).json({ error: 'not-found', detail: `no user with email ${parsed.data.email}` });
      return;
    }
    if (firstUsableKind({ ...user, channels: ['voice'] }) !== 'call') {
      res.status(400).json({ error: 'no-number', detail: `${user.email} has no phone number to call` });
      return;
    }
    const { notification } = await deps.notifications.enqueue({
      kind: 'call',
      source: 'test-call',
      userId: user.id,
      email: user.email,
      message: parsed.data.text,
    });
    deps.onEnqueued(notification);
    const deadline = Date.now() + (parsed.data.wait_seconds ?? 180) * 1000;
    let n: Notification | null = notification;
    // Wall-clock polling on purpose: this waits for a real phone, whatever clock the engine runs on.
    while (n && (n.state === 'pending' || n.state === 'active') && Date.now() < deadline && !req.socket.destroyed) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      n = await deps.notifications.get(notification.id);
    }
    const attempts = (await deps.notifications.attemptsFor([notification.id])).get(notification.id) ?? [];
    res.status(200).json(notificationView(n ?? notification, attempts));
  });
  return r;
}
