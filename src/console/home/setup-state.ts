/** What the start page reads: how far the setup has come and what is wrong now. */
import type { ConsoleDeps } from '../deps';

export interface SetupState {
  people: number;
  verified: number;
  oncallConfigured: boolean;
  cloudTokens: number;
  publicUrl: string;
  publicUrlUnroutable: boolean;
  telephony: 'ok' | 'down' | 'none';
  telephonyMessage: string;
  testCalls: number;
  senders: number;
  heartbeats: number;
  heartbeatsDown: number;
  activePages: number;
  failedDay: number;
  checksDown: string[];
  checksDegraded: string[];
  /** Nothing probes these (a sender without a health URL): not failing, but not known to work either. */
  checksUnchecked: string[];
}

export async function gatherSetup(deps: ConsoleDeps): Promise<SetupState> {
  const { users } = await deps.users.list({ limit: 100000 });
  const heartbeats = await deps.heartbeats.list();
  const tel = deps.telephonyHealth();
  const dayAgo = deps.now() - 86400_000;
  const count = async (q: (b: ReturnType<ConsoleDeps['db']>) => unknown): Promise<number> => {
    const b = deps.db('notifications');
    q(b);
    const row = (await b.count<{ n: number | string }[]>({ n: '*' }))[0];
    return Number(row?.n ?? 0);
  };
  const host = safeHost(deps.config.publicUrl);
  return {
    people: users.length,
    verified: users.filter((u) => u.phoneVerified).length,
    oncallConfigured: deps.config.oncall !== null,
    cloudTokens: deps.config.cloudTokens.length,
    publicUrl: deps.config.publicUrl,
    publicUrlUnroutable: host === '0.0.0.0' || host === '[::]',
    telephony: !tel.configured ? 'none' : tel.ok ? 'ok' : 'down',
    telephonyMessage: tel.message,
    testCalls: await count((b) => b.where({ source: 'test-call', state: 'delivered' })),
    senders: deps.senders.all().length,
    heartbeats: heartbeats.length,
    heartbeatsDown: heartbeats.filter((h) => h.enabled && h.state === 'down').length,
    activePages: await count((b) => b.whereIn('state', ['pending', 'active'])),
    failedDay: await count((b) => b.where('state', 'failed').andWhere('received_at', '>=', dayAgo)),
    checksDown: deps
      .checks()
      .filter((c) => c.state === 'down')
      .map((c) => c.name),
    checksDegraded: deps
      .checks()
      .filter((c) => c.state === 'degraded')
      .map((c) => c.name),
    checksUnchecked: deps
      .checks()
      .filter((c) => c.state === 'unchecked')
      .map((c) => c.name),
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
