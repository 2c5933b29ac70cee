/** Ready-made checks over dozvon's own parts. The lead builds the others with checkFrom(). */
import type { HeartbeatService } from '../heartbeats';
import { Check, checkFrom } from './check';

/** Fails while any heartbeat is down, so a dead sender also shows on the status page and metrics. */
export function heartbeatsCheck(service: Pick<HeartbeatService, 'list'>): Check {
  return checkFrom('heartbeats', async () => {
    const all = await service.list();
    const down = all.filter((h) => h.state === 'down').map((h) => h.name);
    if (down.length) return { ok: false, detail: `down: ${down.join(', ')}` };
    return { ok: true, detail: `${all.length} heartbeat(s), none down` };
  });
}
