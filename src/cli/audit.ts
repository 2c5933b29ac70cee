/** CLI changes go to the same audit log as the console's and the admin API's. */
import { hostname, userInfo } from 'node:os';
import type { Db } from '../db/knex';
import { AuditRepo } from '../audit';

/** "cli (alice@ops-1)": the operating-system account that ran the command. */
export function cliActor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // A uid with no passwd entry (some containers): the host alone still says where it came from.
  }
  return `cli (${user}@${hostname()})`;
}

export async function auditCli(db: Db, action: string, target: string, detail: Record<string, unknown> | null = null): Promise<void> {
  await new AuditRepo(db, Date.now).record({ actor: cliActor(), action, target, detail });
}
