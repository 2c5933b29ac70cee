/** Ready-made checks over dozvon's own parts. The lead builds the others with checkFrom(). */
import type { HeartbeatService } from '../heartbeats';
import { Check, checkFrom } from './check';

/**
 * Fails while any heartbeat is down, so a dead sender also shows on the status page and metrics,
 * and while a declared heartbeat was refused (it would page no one), so the typo reaches admins.
 */
export function heartbeatsCheck(service: Pick<HeartbeatService, 'list'> & Partial<Pick<HeartbeatService, 'refusedDeclarations'>>): Check {
  return checkFrom('heartbeats', async () => {
    const all = await service.list();
    const down = all.filter((h) => h.state === 'down').map((h) => h.name);
    const refused = service.refusedDeclarations?.() ?? [];
    if (down.length || refused.length)
      return { ok: false, detail: [down.length ? `down: ${down.join(', ')}` : '', ...refused].filter(Boolean).join('; ') };
    return { ok: true, detail: `${all.length} heartbeat(s), none down` };
  });
}
