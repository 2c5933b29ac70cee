/**
 * At the engine: limits that bound storms, not new incidents, and a
 * dispatch latency that measures first calls only. Fake clock, real SQLite, scripted calls.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { FakeClock } from '../fakes/clock';
import { NotificationsRepo, Notification } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { VoiceEngine, VoiceEvent } from '../../src/dispatch/voice-engine';
import type { Preparer, VoiceFallback } from '../../src/dispatch/voice-types';
import type { CallReport, CallRunner, OutboundCall, PreparedPage } from '../../src/ivr/call-types';
import type { User } from '../../src/directory/user';
import { silentLogger } from '../../src/core/log';
import { DEFAULT_LIMITS } from '../../src/limits';
import { Metrics } from '../../src/metrics';
import { voiceObserver } from '../../src/compose/observe';
import { parseExposition } from './metrics/exposition';

/** Plays back scripted outcomes; a step may last a while on the fake clock (a call in progress). */
class ScriptedRunner implements CallRunner {
  calls: { at: number; texts: string[] }[] = [];
  ended = 0;
  private waiters: (() => void)[] = [];
  constructor(
    private readonly clock: FakeClock,
    private readonly script: (Partial<CallReport> & { lastsMs?: number })[],
  ) {}
  /** Resolves once `n` calls have started in all. */
  async started(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
  }
  async run(call: OutboundCall): Promise<CallReport> {
    this.calls.push({ at: this.clock.now(), texts: call.pages.map((p) => p.text) });
    for (const w of this.waiters.splice(0)) w();
    const { lastsMs, ...step } = this.script.shift() ?? { outcome: 'no-answer' as const };
    if (lastsMs) await this.clock.sleep(lastsMs);
    this.ended++;
    const now = this.clock.now();
    return {
      outcome: 'no-answer',
      delivered: false,
      digits: '',
      action: null,
      actionStatus: null,
      result: null,
      cause: null,
      ringingAt: now,
      answeredAt: null,
      endedAt: now,
      settledAlertGroups: [],
      ...step,
    };
  }
}

const preparer: Preparer = {
  // Every page is prepared at once here: none ever waits in a line to be hurried.
  hurry: () => undefined,
  async prepare(n: Notification, user: User): Promise<PreparedPage> {
    return {
      notification: n,
      alertGroupId: n.alertGroupId,
      correlation: n.alertGroupId ? 'exact' : 'none',
      text: n.message,
      lang: user.lang,
      summary: null,
    };
  },
};
const fallback: VoiceFallback = { handOver: async () => 'handed to sms' };

const SILENT = { outcome: 'answered' as const, answeredAt: 0 };
const PRESSED = { outcome: 'answered' as const, delivered: true, digits: '1' };
const MIN = 60_000;

describe('voice limits: storms are bounded, new incidents ring (fake clock)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let repo: NotificationsRepo;
  let alice: User;
  let engine: VoiceEngine;
  let events: VoiceEvent[];
  let start: number;

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
    start = clock.now();
    repo = new NotificationsRepo(t.db, () => clock.now());
    const users = new UsersRepo(t.db, () => clock.now());
    alice = await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    events = [];
    build = (runner, observe) => {
      engine = new VoiceEngine(
        {
          repo,
          users,
          runner,
          preparer,
          settled: null,
          fallback,
          clock,
          logger: silentLogger(),
          limits: DEFAULT_LIMITS,
          observe: observe ?? ((e) => events.push(e)),
        },
        { instanceId: 'i1', maxCalls: 5, originatesPerSecond: 10, sweepMs: 1000 },
      );
      engine.start((fn) => {
        wake = fn;
        return () => (wake = null);
      });
    };
  });
  afterEach(async () => {
    await engine?.stop();
    await t.close();
  });

  let build: (runner: CallRunner, observe?: (e: VoiceEvent) => void) => void;
  let wake: ((n: Notification) => void) | null = null;
  const page = async (message: string, alertGroupId: string | null = null) => {
    const { notification } = await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: alice.id,
      email: alice.email,
      message,
      alertGroupId,
    });
    wake?.(notification);
    await advance(0);
    return notification;
  };
  const advance = async (ms: number) => {
    for (let done = 0; done === 0 || done < ms; done += 1000) {
      await clock.advance(Math.min(1000, ms - done));
      await engine.idle();
    }
  };
  const advanceTo = (ms: number) => advance(start + ms - clock.now());
  /** A quiet stretch (nothing due): one jump instead of one-second steps. */
  const skipTo = async (ms: number) => {
    await clock.advance(start + ms - clock.now());
    await engine.idle();
  };
  const state = async (id: number) => (await repo.get(id))!;

  it("the issue's story: three silent answers use up one page; a new incident 4 minutes later rings at once, not at minute 15", async () => {
    const runner = new ScriptedRunner(clock, [SILENT, SILENT, SILENT, PRESSED]);
    build(runner);
    const first = await page('Disk full on web-07', 'IAAAAAAAAAAAA');
    await advanceTo(2 * MIN + 2000);
    expect(runner.calls.map((c) => c.at - start)).to.deep.equal([0, MIN, 2 * MIN]);
    expect((await state(first.id)).state).to.equal('failed');

    await advanceTo(4 * MIN);
    const second = await page('Database down', 'IBBBBBBBBBBBB');
    await advance(30_000);
    expect(runner.calls).to.have.length(4);
    expect(runner.calls[3].at - second.receivedAt).to.be.at.most(30_000);
    expect(runner.calls[3].texts).to.deep.equal(['Database down']);
    expect((await state(second.id)).state).to.equal('delivered');
  });

  it('pages whose alert group is unknown always count as new incidents: four in four minutes ring four times', async () => {
    const runner = new ScriptedRunner(clock, Array(4).fill(PRESSED));
    build(runner);
    for (let i = 0; i < 4; i++) {
      await page(`incident ${i}`);
      await advance(MIN);
    }
    expect(runner.calls.map((c) => c.at - start)).to.deep.equal([0, MIN, 2 * MIN, 3 * MIN]);
  });

  it('repeat pages about an incident already called about wait for the per-person rule (3/15m, admissions only); a new incident does not', async () => {
    const runner = new ScriptedRunner(clock, Array(6).fill(PRESSED));
    build(runner);
    for (let i = 0; i < 3; i++) {
      await page(`Disk full, notification ${i + 1}`, 'IAAAAAAAAAAAA');
      await advance(2 * MIN);
    }
    expect(runner.calls).to.have.length(3);
    const repeat = await page('Disk full, notification 4', 'IAAAAAAAAAAAA');
    await advance(MIN);
    expect(runner.calls).to.have.length(3);
    expect(await state(repeat.id)).to.include({ state: 'pending', attempts: 0 });

    await advanceTo(6 * MIN + 30_000);
    const fresh = await page('Database down', 'IBBBBBBBBBBBB');
    expect(runner.calls).to.have.length(4);
    expect(runner.calls[3].texts).to.deep.equal(['Database down']);
    expect((await state(fresh.id)).state).to.equal('delivered');

    // Admissions at minutes 0, 2, 4 and 6 (the new incident's call counts too): the third most
    // recent one (minute 2) leaves the 15-minute window at minute 17.
    await skipTo(17 * MIN - 2000);
    expect(runner.calls).to.have.length(4);
    await advance(4000);
    expect(runner.calls).to.have.length(5);
    expect(runner.calls[4].texts).to.deep.equal(['Disk full, notification 4']);
  });

  it('retries never count: a page retried twice, then two new incidents, all within 15 minutes, none held', async () => {
    const runner = new ScriptedRunner(clock, [{ outcome: 'no-answer' }, { outcome: 'busy' }, PRESSED, PRESSED, PRESSED]);
    build(runner);
    await page('one', 'IAAAAAAAAAAAA');
    await advance(80_000); // no answer → 60 s → busy → 15 s → pressed
    expect(runner.calls.map((c) => c.at - start)).to.deep.equal([0, MIN, 75_000]);
    await advanceTo(5 * MIN);
    await page('two', 'IBBBBBBBBBBBB');
    await advance(MIN);
    await page('three', 'ICCCCCCCCCCCC');
    expect(runner.calls.slice(3).map((c) => [c.at - start, c.texts])).to.deep.equal([
      [5 * MIN, ['two']],
      [6 * MIN, ['three']],
    ]);
  });

  it('calls to one person start at least 15 s apart: a page just after a short call rings 15 s after it started, within 30 s', async () => {
    const runner = new ScriptedRunner(clock, [{ outcome: 'rejected' }, PRESSED, PRESSED]);
    build(runner);
    await page('first');
    await advance(5_000);
    const second = await page('second');
    await advance(8_000);
    expect(runner.calls).to.have.length(1);
    await advance(4_000);
    expect(runner.calls).to.have.length(2);
    expect(runner.calls[1].at - start).to.be.within(15_000, 17_000);
    expect(runner.calls[1].at - second.receivedAt).to.be.below(30_000);
  });

  it('pages that arrive during a call join the next call, which starts as soon as it ends', async () => {
    const runner = new ScriptedRunner(clock, [{ ...PRESSED, lastsMs: 40_000 }, PRESSED]);
    build(runner);
    // engine.idle() would wait for the call in progress, which only ends when the clock moves:
    // the clock moves in one-second steps until the call ends, and stands still from then on.
    const enqueue = async (text: string) =>
      wake?.(
        (await repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: alice.id, email: alice.email, message: text })).notification,
      );
    await enqueue('on the phone');
    await runner.started(1);
    await clock.advance(10_000);
    await enqueue('second');
    await clock.advance(10_000);
    await enqueue('third');
    while (runner.ended === 0) await clock.advance(1000);
    await engine.idle(); // the clock stands still from the moment the call ended
    // The newest page is claimed first (a fresh incident before backlog), so it is read first.
    expect(runner.calls.map((c) => c.texts)).to.deep.equal([['on the phone'], ['third', 'second']]);
    expect(runner.calls[1].at - runner.calls[0].at).to.equal(40_000);
  });

  it('dispatch latency counts first calls only; retry waits go to their own histogram', async () => {
    const metrics = new Metrics();
    const observe = voiceObserver(metrics, () => clock.now());
    const runner = new ScriptedRunner(clock, [{ outcome: 'busy' }, PRESSED]);
    build(runner, (e) => {
      events.push(e);
      observe(e);
    });
    await page('disk');
    await advance(10_000);
    await page('db'); // held by the 15 s gap, then bundled with the busy page's retry
    await advance(10_000);
    const started = events.filter((e): e is Extract<VoiceEvent, { type: 'call-started' }> => e.type === 'call-started');
    expect(started.map((e) => [e.firstWaitsMs, e.retryWaitsMs])).to.deep.equal([
      [[0], []],
      [[5_000], [15_000]],
    ]);
    const e = parseExposition((await metrics.scrape()).body);
    metrics.stop();
    expect(e.value('dozvon_dispatch_latency_seconds_count')).to.equal(2);
    expect(e.value('dozvon_dispatch_latency_seconds_sum')).to.equal(5);
    expect(e.value('dozvon_retry_wait_seconds_count')).to.equal(1);
    expect(e.value('dozvon_retry_wait_seconds_sum')).to.equal(15);
  });
});
