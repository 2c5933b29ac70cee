/** The trunks: the pool (breakers, caps, test results), the dialer the calls use, the test-call timer and their self-checks. */
import type { Config } from '../config';
import type { Telephony } from '../telephony/types';
import type { Metrics } from '../metrics';
import { resolveTrunks, TrunkDialer, TrunkPool, TrunkTestCalls, type TrunkStatus } from '../trunks';
import { checkFrom, type Check } from '../watchers/checks/check';
import type { Stores } from './stores';

export interface TrunkParts {
  pool: TrunkPool;
  dialer: TrunkDialer;
  /** Null when no trunk has a test number. */
  testCalls: TrunkTestCalls | null;
}

export function buildTrunks(d: { config: Config; stores: Stores; telephony: Telephony; metrics: Metrics }): TrunkParts {
  const { clock, logger } = d.stores;
  const trunks = resolveTrunks(d.config.sections.trunks, { dialTemplate: d.config.dialTemplate });
  const pool = new TrunkPool(trunks, clock, {
    legEnded: (trunk, outcome) => d.metrics.trunkLegEnded(trunk, outcome),
    testCall: (trunk, ok, at) => d.metrics.trunkTestCall(trunk, ok, at),
  });
  d.metrics.watchTrunks(() => pool.status());
  const log = logger.child({ mod: 'trunks' });
  const dialer = new TrunkDialer({ telephony: d.telephony, pool, clock, logger: log });
  const testCalls = trunks.some((t) => t.test)
    ? new TrunkTestCalls({ telephony: d.telephony, pool, clock, logger: log, callerId: d.config.callerId })
    : null;
  return { pool, dialer, testCalls };
}

/** One self-check per trunk: down while its breaker is open or its test call fails, so the admins hear of it on the other channels. */
export function trunkChecks(pool: TrunkPool): Check[] {
  return pool.trunks().map((t) => checkFrom(`trunk:${t.name}`, async () => describeTrunk(pool.status().find((s) => s.name === t.name))));
}

export function describeTrunk(s: TrunkStatus | undefined): { ok: boolean; detail: string } {
  if (!s) return { ok: false, detail: 'unknown trunk' };
  const test = s.lastTest ? `; test call ${s.lastTest.ok ? 'answered' : `failed: ${s.lastTest.detail}`}` : '';
  if (s.breaker === 'open') return { ok: false, detail: `breaker open after ${s.failuresInRow} carrier failures in a row${test}` };
  if (s.lastTest && !s.lastTest.ok) return { ok: false, detail: `test call failed: ${s.lastTest.detail}` };
  const half = s.breaker === 'half-open' ? ' (half-open: the next call tries it)' : '';
  return { ok: true, detail: `carrying calls${half}, ${s.activeCalls} now${test}` };
}
