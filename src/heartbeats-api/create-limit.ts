/**
 * A heartbeat key may create heartbeats (`?create=1` on ping URLs, POST /v2/heartbeats, the
 * Alertmanager Watchdog), and each one pages when it expires: a sender looping over names would
 * fill the list with pagers. Over these APIs creation stops once `createLimit` heartbeats exist in
 * all (heartbeats.api_create_limit); the console and the configuration file are not limited.
 * Checked before the creation rather than inside it, so concurrent creations may pass together:
 * enough against a runaway sender, which is what the limit is for.
 */
import type { HeartbeatApiDeps } from './deps';

/** True when `name` exists already (nothing is created) or one more heartbeat fits. */
export async function mayCreate(deps: Pick<HeartbeatApiDeps, 'service' | 'createLimit'>, name: string): Promise<boolean> {
  if (deps.createLimit === undefined) return true;
  const all = await deps.service.list();
  return all.length < deps.createLimit || all.some((h) => h.name === name);
}

export function createLimitText(limit: number): string {
  return `Heartbeat limit reached: ${limit} heartbeats exist, and no more may be created over the API (heartbeats.api_create_limit). Delete unused ones in the console or raise the limit.`;
}
