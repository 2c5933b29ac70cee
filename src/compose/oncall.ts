/** OnCall's side of the graph: client (when configured), correlation, enrichment, actions. */
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Db } from '../db/knex';
import type { UsersRepo } from '../directory/users-repo';
import { DbPageStore } from '../oncall/own-pages-repo';
import { HttpOnCallClient, OnCallClient, Correlator, Enricher, OnCallActions } from '../oncall/index';
import type { SettledCheck } from '../dispatch/voice-types';

export interface OnCallParts {
  client: OnCallClient | null;
  correlator: Correlator;
  enricher: Enricher;
  actions: OnCallActions | null;
  settled: SettledCheck | null;
}

export function buildOnCall(
  config: Config,
  db: Db,
  users: UsersRepo,
  clock: Clock,
  logger: Logger,
  client?: OnCallClient | null,
): OnCallParts {
  const log = logger.child({ mod: 'oncall' });
  const c =
    client !== undefined
      ? client
      : config.oncall
        ? new HttpOnCallClient({ baseUrl: config.oncall.url, token: config.oncall.token, clock, logger: log })
        : null;
  // In the database: the make_call for a page we created may reach another instance.
  const pages = new DbPageStore(db);
  const nameOf = async (email: string) => (await users.getByEmail(email))?.name ?? null;
  return {
    client: c,
    correlator: new Correlator({ client: c, pages, clock, logger: log }),
    enricher: new Enricher({ client: c, fqdnRegex: config.fqdnRegex, nameOf, clock, logger: log }),
    actions: c ? new OnCallActions({ client: c, sections: config.sections, pages, nameOf, clock, logger: log }) : null,
    settled: c
      ? {
          async settled(id, signal) {
            const g = await c.getAlertGroup(id, { signal, retries: 0 });
            const settled = g.state === 'acknowledged' || g.state === 'resolved';
            return { settled, detail: settled ? `already ${g.state} in OnCall` : `still ${g.state}` };
          },
        }
      : null,
  };
}
