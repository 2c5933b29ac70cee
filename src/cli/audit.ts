/** Who the CLI's changes are audited as: they go to the same log as the console's and the admin API's. */
import { hostname, userInfo } from 'node:os';

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
