/** dozvon_sender_up says what the self-check knows: up, not up, or nothing when nobody can probe the sender. */
import { expect } from 'chai';
import { Metrics } from '../../../src/metrics';
import { refreshHealthGauges } from '../../../src/compose/observe';
import type { Telephony } from '../../../src/telephony/types';
import type { SelfChecks } from '../../../src/watchers/checks/runner';
import { parseExposition } from './exposition';

describe('metrics: dozvon_sender_up', () => {
  it('is 1 only for a passing check, 0 for failing sends or a failing probe, and absent for a sender nobody probes', async () => {
    const metrics = new Metrics();
    const telephony = { health: () => ({ ok: true, configured: true, message: 'ok', servers: [] }) } as unknown as Telephony;
    const check = (name: string, state: string) => ({
      name: `sender:${name}`,
      ok: state !== 'down',
      state,
      detail: '',
      at: 0,
      durationMs: 0,
    });
    const checks = {
      latest: () => [check('ntfy', 'ok'), check('gw', 'degraded'), check('smsc', 'down'), check('kannel', 'unchecked')],
    } as unknown as SelfChecks;
    refreshHealthGauges(metrics, telephony, checks);
    const e = parseExposition((await metrics.scrape()).body);
    metrics.stop();
    expect(e.value('dozvon_sender_up', { sender: 'ntfy' })).to.equal(1);
    expect(e.value('dozvon_sender_up', { sender: 'gw' })).to.equal(0);
    expect(e.value('dozvon_sender_up', { sender: 'smsc' })).to.equal(0);
    expect(e.value('dozvon_sender_up', { sender: 'kannel' })).to.equal(undefined);
  });
});
