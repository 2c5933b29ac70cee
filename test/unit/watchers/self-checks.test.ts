import { expect } from 'chai';
import { silentLogger } from '../../../src/core/log';
import {
  checkFrom,
  boolCheck,
  runChecksOnce,
  SelfChecks,
  CheckResult,
  KvReportedState,
  ReportedState,
  degraded,
  notConfigured,
} from '../../../src/watchers/checks';
import { KvRepo } from '../../../src/db/kv-repo';
import { selfCheckReports } from '../../../src/compose/checks';
import { FakeClock } from '../../fakes/clock';
import { forEachDb, AnyTestDb } from '../../helpers/pg';
import { FakeAdminNotifier } from './fakes';

describe('self-checks', () => {
  it('runChecksOnce: results per check; a throw or a timeout is a failure', async () => {
    const clock = new FakeClock();
    const checks = [
      checkFrom('ari', async () => ({ ok: true, detail: 'connected to 1 of 1' })),
      checkFrom('tts', async () => {
        throw new Error('render failed');
      }),
      checkFrom(
        'oncall',
        (signal) => new Promise<CheckResult>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      ),
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

  it('states: ok, degraded, not configured and down; only down is a failure, and admins hear only of down', async () => {
    const clock = new FakeClock();
    const notifier = new FakeAdminNotifier();
    const checks = [
      checkFrom('speech', async () => degraded('google: unreachable; espeak carries the load')),
      checkFrom('telephony', async () => notConfigured('DOZVON_ARI_URL is empty')),
      checkFrom('db', async () => ({ ok: true, detail: 'answers' })),
      checkFrom('sms', async () => ({ ok: false, detail: 'balance 0' })),
      // A check that contradicts itself is read by its ok flag.
      checkFrom('odd', async () => ({ ok: false, state: 'ok', detail: 'x' }) as CheckResult),
    ];
    const out = await runChecksOnce(checks, { clock, timeoutMs: 5000 });
    expect(out.map((o) => [o.name, o.state, o.ok])).to.deep.equal([
      ['speech', 'degraded', true],
      ['telephony', 'not configured', true],
      ['db', 'ok', true],
      ['sms', 'down', false],
      ['odd', 'down', false],
    ]);
    const sc = new SelfChecks({ checks: checks.slice(0, 3), clock, logger: silentLogger(), notifier, admins: ['root@example.com'] });
    sc.start();
    for (let i = 0; i < 3; i++) await clock.advance(60_000);
    expect(notifier.reports).to.deep.equal([]);
    expect(sc.latest().map((r) => r.state)).to.deep.equal(['degraded', 'not configured', 'ok']);
    await sc.stop();
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

  it('runNow during a run gets a fresh run, shared by everyone asking meanwhile, not the run that read its checks earlier', async () => {
    const clock = new FakeClock();
    let trunkUp = true;
    let runs = 0;
    let releaseFirst: () => void = () => undefined;
    const firstRunHeld = new Promise<void>((r) => (releaseFirst = r));
    const checks = [
      checkFrom('trunk:first', async () => {
        runs++;
        const up = trunkUp;
        if (runs === 1) await firstRunHeld;
        return up ? { ok: true, detail: 'carrying calls' } : { ok: false, detail: 'test call failed' };
      }),
    ];
    const sc = new SelfChecks({ checks, clock, logger: silentLogger(), notifier: new FakeAdminNotifier(), admins: [] });
    sc.start();
    await clock.advance(0);
    expect(runs).to.equal(1);
    trunkUp = false;
    const a = sc.runNow();
    const b = sc.runNow();
    releaseFirst();
    const [outA, outB] = await Promise.all([a, b]);
    expect(runs).to.equal(2);
    expect(outA).to.equal(outB);
    expect(outA[0]).to.include({ ok: false, detail: 'test call failed' });
    expect(sc.latest()[0]).to.include({ ok: false });
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
    const sc = new SelfChecks({
      checks: [checkFrom('sender', async () => ({ ok: false, detail: 'down' }))],
      clock,
      logger: silentLogger(),
      notifier,
      admins: ['a@example.com'],
    });
    sc.start();
    await clock.advance(0);
    expect(reports).to.deep.equal([]);
    await clock.advance(60_000);
    await clock.advance(60_000);
    expect(reports).to.deep.equal(['failed:sender']);
    await sc.stop();
  });
});

/** One check whose health the test sets, and a SelfChecks over it that reports to its own notifier. */
function instance(reported: ReportedState | undefined, clock = new FakeClock()) {
  const state = { up: true };
  const notifier = new FakeAdminNotifier();
  const check = checkFrom('ari', async () => (state.up ? { ok: true, detail: 'connected' } : { ok: false, detail: 'websocket closed' }));
  const sc = new SelfChecks({ checks: [check], clock, logger: silentLogger(), notifier, admins: ['root@example.com'], reported });
  const events = () => notifier.reports.map((r) => `${r.event}:${r.check}`);
  return { state, sc, events };
}

forEachDb('self-checks: what admins were told is kept in the database', (make) => {
  let t: AnyTestDb;
  beforeEach(async () => {
    t = await make();
  });
  afterEach(() => t.close());

  it('a restarted instance neither repeats a reported failure nor forgets its recovery', async () => {
    const first = instance(selfCheckReports(t.db, () => 1));
    first.state.up = false;
    for (let i = 0; i < 3; i++) await first.sc.runNow();
    expect(first.events()).to.deep.equal(['failed:ari']);
    expect(await new KvRepo(t.db).get('selfcheck:reported:ari')).to.equal('failing');
    await first.sc.stop();

    const second = instance(selfCheckReports(t.db, () => 2));
    second.state.up = false;
    for (let i = 0; i < 3; i++) await second.sc.runNow();
    expect(second.events()).to.deep.equal([]);
    second.state.up = true;
    for (let i = 0; i < 3; i++) await second.sc.runNow();
    expect(second.events()).to.deep.equal(['recovered:ari']);
    expect(await new KvRepo(t.db).get('selfcheck:reported:ari')).to.equal('ok');

    // Without the shared state the same restart would have told the admins again.
    const forgetful = instance(undefined);
    forgetful.state.up = false;
    await forgetful.sc.runNow();
    expect(forgetful.events()).to.deep.equal(['failed:ari']);
  });

  it('a healthy instance does not "recover" a failure another instance still sees', async () => {
    const sick = instance(new KvReportedState(new KvRepo(t.db)));
    const well = instance(new KvReportedState(new KvRepo(t.db)));
    await well.sc.runNow();
    sick.state.up = false;
    for (let i = 0; i < 4; i++) {
      await sick.sc.runNow();
      await well.sc.runNow();
    }
    expect([sick.events(), well.events()]).to.deep.equal([['failed:ari'], []]);
    sick.state.up = true;
    for (let i = 0; i < 2; i++) {
      await sick.sc.runNow();
      await well.sc.runNow();
    }
    expect([sick.events(), well.events()]).to.deep.equal([['failed:ari', 'recovered:ari'], []]);
  });

  it('kv: set replaces a value, delete removes it', async () => {
    const kv = new KvRepo(t.db, () => 1_700_000_000_000);
    await kv.set('k', 'one');
    await kv.set('k', 'two');
    expect(await kv.get('k')).to.equal('two');
    const row = (await t.db('kv').where({ key: 'k' }).first()) as { updated_at: number | string };
    expect(Number(row.updated_at)).to.equal(1_700_000_000_000);
    expect(await kv.delete('k')).to.equal(true);
    expect(await kv.delete('k')).to.equal(false);
    expect(await kv.get('k')).to.equal(null);
  });
});

describe('self-checks: a failing shared state', () => {
  /** Reads and writes fail while `broken`; otherwise a plain map. */
  class FlakyReportedState implements ReportedState {
    broken = true;
    readonly saved = new Map<string, boolean>();
    async get(name: string): Promise<boolean | undefined> {
      if (this.broken) throw new Error('database is locked');
      return this.saved.get(name);
    }
    async set(name: string, ok: boolean): Promise<void> {
      if (this.broken) throw new Error('database is locked');
      this.saved.set(name, ok);
    }
  }

  it('reports once per change from memory, and records the state once the store works again', async () => {
    const store = new FlakyReportedState();
    const i = instance(store);
    i.state.up = false;
    for (let n = 0; n < 3; n++) await i.sc.runNow();
    expect(i.events()).to.deep.equal(['failed:ari']);
    expect(store.saved.size).to.equal(0);
    store.broken = false;
    await i.sc.runNow();
    expect(store.saved.get('ari')).to.equal(false);
    i.state.up = true;
    await i.sc.runNow();
    await i.sc.runNow();
    expect(i.events()).to.deep.equal(['failed:ari', 'recovered:ari']);
    expect(store.saved.get('ari')).to.equal(true);
  });
});
