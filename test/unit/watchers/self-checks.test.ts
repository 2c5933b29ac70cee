import { expect } from 'chai';
import { silentLogger } from '../../../src/core/log';
import { checkFrom, boolCheck, runChecksOnce, SelfChecks, CheckResult } from '../../../src/watchers/checks';
import { FakeClock } from '../../fakes/clock';
import { FakeAdminNotifier } from './fakes';

describe('self-checks', () => {
  it('runChecksOnce: results per check; a throw or a timeout is a failure', async () => {
    const clock = new FakeClock();
    const checks = [
      checkFrom('ari', async () => ({ ok: true, detail: 'connected to 1 of 1' })),
      checkFrom('tts', async () => {
        throw new Error('render failed');
      }),
      checkFrom('oncall', (signal) => new Promise<CheckResult>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))),
      boolCheck('sms:smsru', async () => false, { failed: 'balance 0' }),
    ];
    const run = runChecksOnce(checks, { clock, timeoutMs: 5000 });
    await clock.advance(5000);
    const out = await run;
    expect(out.map((o) => [o.name, o.ok, o.detail])).to.deep.equal([
      ['ari', true, 'connected to 1 of 1'],
      ['tts', false, 'error: render failed'],
      ['oncall', false, 'timed out after 5000 ms'],
      ['sms:smsru', false, 'balance 0'],
    ]);
    expect(clock.pending()).to.equal(0);
  });

  it('runs every minute, reports a failure once and the recovery once', async () => {
    const clock = new FakeClock();
    const notifier = new FakeAdminNotifier();
    let ariUp = true;
    let runs = 0;
    const checks = [
      checkFrom('ari', async () => {
        runs++;
        return ariUp ? { ok: true, detail: 'connected' } : { ok: false, detail: 'websocket closed' };
      }),
      checkFrom('tts', async () => ({ ok: true, detail: 'rendered' })),
    ];
    const sc = new SelfChecks({ checks, clock, logger: silentLogger(), notifier, admins: ['root@example.com'] });
    sc.start();
    await clock.advance(0);
    expect(runs).to.equal(1);
    expect(sc.latest().map((r) => r.ok)).to.deep.equal([true, true]);
    ariUp = false;
    for (let i = 0; i < 5; i++) await clock.advance(60_000);
    expect(runs).to.equal(6);
    expect(notifier.reports.map((r) => [r.check, r.event])).to.deep.equal([['ari', 'failed']]);
    expect(notifier.reports[0].emails).to.deep.equal(['root@example.com']);
    expect(notifier.reports[0].text).to.contain('websocket closed');
    expect(sc.latest()[0]).to.include({ name: 'ari', ok: false, detail: 'websocket closed' });
    ariUp = true;
    for (let i = 0; i < 3; i++) await clock.advance(60_000);
    expect(notifier.reports.map((r) => [r.check, r.event])).to.deep.equal([
      ['ari', 'failed'],
      ['ari', 'recovered'],
    ]);
    await sc.stop();
    expect(clock.pending()).to.equal(0);
  });

  it('a report that could not be delivered is tried again next minute', async () => {
    const clock = new FakeClock();
    let fails = 1;
    const reports: string[] = [];
    const notifier = {
      async notify(r: { check: string; event: string }) {
        if (fails-- > 0) throw new Error('no channel works');
        reports.push(`${r.event}:${r.check}`);
      },
    };
    const sc = new SelfChecks({ checks: [checkFrom('sender', async () => ({ ok: false, detail: 'down' }))], clock, logger: silentLogger(), notifier, admins: ['a@example.com'] });
    sc.start();
    await clock.advance(0);
    expect(reports).to.deep.equal([]);
    await clock.advance(60_000);
    await clock.advance(60_000);
    expect(reports).to.deep.equal(['failed:sender']);
    await sc.stop();
  });
});
