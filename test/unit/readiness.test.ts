/** /readyz (issue 14): ready = the database answers and some channel can page; telephony shown on its own. */
import { expect } from 'chai';
import { readiness } from '../../src/http/health';
import { channelProbes } from '../../src/compose/readiness';
import type { Sender } from '../../src/senders';
import type { CheckOutcome } from '../../src/watchers/checks/check';

const db = { name: 'database', check: async () => undefined };
const sender = (name: string) => ({ name }) as Sender;
const outcome = (name: string, ok: boolean, detail = ok ? 'ok' : 'HTTP 503'): CheckOutcome => ({ name, ok, state: ok ? 'ok' : 'down', detail, at: 0, durationMs: 1 });

function probes(o: { telephonyOk: boolean; sms?: string[]; push?: string[]; latest?: CheckOutcome[] }) {
  return channelProbes({
    telephony: { health: () => ({ ok: o.telephonyOk, configured: true, message: o.telephonyOk ? 'connected to 1 Asterisk server(s)' : '0/1 Asterisk server(s) connected; ast:8088: replaced (another client took Stasis app "dozvon")', servers: [] }) },
    senders: { sms: (o.sms ?? []).map(sender), push: (o.push ?? []).map(sender) },
    latest: () => o.latest ?? [],
  });
}

describe('/readyz readiness', () => {
  it('telephony down but an SMS sender works: ready, with the telephony state in the checks', async () => {
    const r = await readiness([db, ...probes({ telephonyOk: false, sms: ['gw'] })]);
    expect(r.ready).to.equal(true);
    expect(r.checks).to.deep.equal({ database: 'ok', telephony: '0/1 Asterisk server(s) connected; ast:8088: replaced (another client took Stasis app "dozvon")', sms: 'ok', push: 'no sender configured' });
  });

  it('no channel can page anyone: not ready, and the reason names each channel', async () => {
    const r = await readiness([db, ...probes({ telephonyOk: false, sms: ['gw'], latest: [outcome('sender:gw', false)] })]);
    expect(r.ready).to.equal(false);
    expect(r.checks.sms).to.equal('every sender fails its self-check: sender:gw: HTTP 503');
    expect(r.reason).to.match(/^no channel can page anyone \(telephony: 0\/1 .*; sms: every sender fails .*; push: no sender configured\)$/);
  });

  it('one SMS sender of two failing still pages, and /readyz says sms is degraded; telephony alone is enough', async () => {
    const one = await readiness([db, ...probes({ telephonyOk: false, sms: ['a', 'b'], latest: [outcome('sender:a', false)] })]);
    expect(one.ready).to.equal(true);
    expect(one.checks.sms).to.equal('degraded: sender:a down: HTTP 503');
    expect((await readiness([db, ...probes({ telephonyOk: true })])).ready).to.equal(true);
  });

  it('a failing required probe (the database) is not ready whatever the channels say', async () => {
    const r = await readiness([{ name: 'database', check: async () => { throw new Error('SQLITE_BUSY'); } }, ...probes({ telephonyOk: true })]);
    expect(r).to.deep.include({ ready: false, reason: 'database: SQLITE_BUSY' });
  });
});
