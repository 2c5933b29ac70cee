/** GET /api/admin/audit: the audit log, newest first (?limit, ?before=<id>, ?target, ?action). */
import { Router, RouterT } from '../http/express';
import { z, describeIssues } from '../core/validate';
import type { AuditLog } from './repo';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    before: z.coerce.number().int().min(1).optional(),
    target: z.string().min(1).max(300).optional(),
    action: z.string().min(1).max(64).optional(),
  })
  .strict();

export function auditRouter(audit: AuditLog): RouterT {
  const r = Router({ strict: false });
  r.get('/audit', async (req, res) => {
    const q = query.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: 'invalid', detail: describeIssues(q.error) });
      return;
    }
    const entries = await audit.list({ limit: q.data.limit, beforeId: q.data.before, target: q.data.target, action: q.data.action });
    res.json({
      count: entries.length,
      results: entries.map((e) => ({
        id: e.id,
        at: new Date(e.at).toISOString(),
        actor: e.actor,
        action: e.action,
        target: e.target,
        detail: e.detail,
      })),
    });
  });
  return r;
}
