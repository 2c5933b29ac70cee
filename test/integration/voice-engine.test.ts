import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { FakeClock } from '../fakes/clock';
import { NotificationsRepo, Notification } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { VoiceEngine } from '../../src/dispatch/voice-engine';
import type { Preparer, SettledCheck, VoiceFallback } from '../../src/dispatch/voice-types';
import type { AttemptOutcome, CallReport, CallRunner, OutboundCall, PreparedPage } from '../../src/ivr/call-types';
import type { User } from '../../src/directory/user';
import { silentLogger } from '../../src/core/log';
import type { Limits } from '../../src/limits';

/** A call runner that plays back scripted outcomes (the real one is tested against the fake Asterisk). */
class ScriptedRunner implements CallRunner {
  calls: OutboundCall[] = [];
  constructor(
    private readonly clock: FakeClock,
    private script: Partial<CallReport>[],
  ) {}
  async run(call: OutboundCall): Promise<CallReport> {
    this.calls.push(call);
    const step = this.script.shift() ?? { outcome: 'no-answer' as AttemptOutcome };
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

describe('voice engine (fake clock, real SQLite, scripted calls)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let repo: NotificationsRepo;
  let users: UsersRepo;
  let alice: User;
  let handed: { email: string; ids: number[]; reason: string }[];
  let settledGroups: Set<string>;
  let engine: VoiceEngine;

  const fallback: VoiceFallback = {
    async handOver(user, pages, reason) {
      handed.push({ email: user.email, ids: pages.map((p) => p.id), reason });
      return 'handed to sms';
    },
  };
  const settled: SettledCheck = { settled: async (id) => ({ settled: settledGroups.has(id), detail: `acknowledged in OnCall (${id})` }) };

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
    repo = new NotificationsRepo(t.db, () => clock.now());
    users = new UsersRepo(t.db, () => clock.now());
    alice = await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    handed = [];
    settledGroups = new Set();
  });
  afterEach(async () => {
    await engine?.stop();
    await t.close();
  });

  const page = (message: string, alertGroupId: string | null = null) =>
    repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: alice.id, email: alice.email, message, alertGroupId });
  const build = (runner: CallRunner, instanceId = 'i1', limits?: Limits) => {
    engine = new VoiceEngine(
      { repo, users, runner, preparer, settled, fallback, clock, logger: silentLogger(), limits },
      { instanceId, maxCalls: 5, originatesPerSecond: 10, sweepMs: 1000 },
    );
    return engine;
  };
  const state = async (id: number) => (await repo.get(id))!;
  const settle = async () => {
    await advance(0);
    await engine.idle();
  };
  const advance = async (ms: number) => {
    // Step in one-second slices so every sweep's database work finishes before time moves on.
    for (let done = 0; done < ms; done += 1000) {
      await clock.advance(Math.min(1000, ms - done));
      await engine.idle();
    }
  };

  it('a digit delivers the page and records the attempt', async () => {
    const runner = new ScriptedRunner(clock, [
      {
        outcome: 'answered',
        delivered: true,
        digits: '1',
        action: 'acknowledge',
        actionStatus: 'done',
        result: 'Acknowledged.',
        cause: '16 Normal Clearing',
      },
    ]);
    const { notification } = await page('High CPU');
    build(runner).start();
    await settle();
    const n = await state(notification.id);
    expect(n).to.include({ state: 'delivered', outcome: 'digit' });
    expect(n.reason).to.equal('pressed 1: Acknowledged.');
    const [a] = (await repo.attemptsFor([n.id])).get(n.id)!;
    expect(a).to.include({ channel: 'voice', outcome: 'answered', digits: '1', action: 'acknowledge', result: 'Acknowledged.' });
  });

  it('busy retries after 15 s on the clock, then delivers', async () => {
    const runner = new ScriptedRunner(clock, [{ outcome: 'busy' }, { outcome: 'answered', delivered: true, digits: '4' }]);
    const { notification } = await page('Disk full');
    build(runner).start();
    await settle();
    expect((await state(notification.id)).state).to.equal('pending');
    await advance(14_000);
    expect(runner.calls).to.have.length(1);
    await advance(2_000);
    expect(runner.calls).to.have.length(2);
    expect((await state(notification.id)).state).to.equal('delivered');
  });

  it('no answer three times → failed and handed over to the other channels with the reason', async () => {
    const runner = new ScriptedRunner(clock, [{ outcome: 'no-answer' }, { outcome: 'answered' }, { outcome: 'no-answer' }]);
    const { notification } = await page('DB down');
    build(runner).start();
    await settle();
    await advance(61_000);
    await advance(61_000);
    expect(runner.calls).to.have.length(3);
    const n = await state(notification.id);
    expect(n.state).to.equal('failed');
    expect(n.reason).to.match(/no-answer after 3 calls; handed to sms/);
    expect(handed).to.deep.equal([{ email: 'alice@example.com', ids: [notification.id], reason: 'no-answer after 3 calls' }]);
  });

  it('bundles every pending page of one person into one call', async () => {
    const runner = new ScriptedRunner(clock, [{ outcome: 'answered', delivered: true, digits: '1' }]);
    const ids = [(await page('one')).notification.id, (await page('two')).notification.id, (await page('three')).notification.id];
    build(runner).start();
    await settle();
    expect(runner.calls).to.have.length(1);
    expect(runner.calls[0].pages.map((p) => p.text)).to.deep.equal(['one', 'two', 'three']);
    for (const id of ids) expect((await state(id)).state).to.equal('delivered');
    const attempts = await repo.attemptsFor(ids);
    expect(new Set(ids.map((id) => attempts.get(id)![0].callId)).size).to.equal(1);
  });

  it('stops retrying once the alert group is acknowledged in OnCall', async () => {
    const runner = new ScriptedRunner(clock, [{ outcome: 'no-answer' }]);
    const { notification } = await page('x', 'IABCDEFGHJKLM');
    build(runner).start();
    await settle();
    settledGroups.add('IABCDEFGHJKLM');
    await advance(61_000);
    expect(runner.calls).to.have.length(1);
    const n = await state(notification.id);
    expect(n).to.include({ state: 'cancelled', outcome: 'settled-elsewhere' });
    expect(handed).to.have.length(0);
  });

  it('after a crash mid-call the open attempt is marked interrupted and the page is called again', async () => {
    const { notification } = await page('crash');
    // Instance "dead" claimed the row and started a call, then vanished.
    await repo.claim({ owner: 'dead', kinds: ['call'], leaseMs: 120_000, limit: 1 });
    await repo.startAttempt({ notificationId: notification.id, channel: 'voice', instance: 'dead', callId: 'c-dead' });
    const runner = new ScriptedRunner(clock, [{ outcome: 'answered', delivered: true, digits: '1' }]);
    build(runner, 'alive').start();
    await settle();
    expect(runner.calls).to.have.length(0); // the lease is still valid
    await advance(121_000);
    expect(runner.calls).to.have.length(1);
    const attempts = (await repo.attemptsFor([notification.id])).get(notification.id)!;
    expect(attempts.map((a) => a.outcome)).to.deep.equal(['interrupted', 'answered']);
    expect((await state(notification.id)).state).to.equal('delivered');
  });

  it('a person without a number fails at once and is handed over', async () => {
    const bob = await users.create({ email: 'bob@example.com', name: 'Bob', contacts: { ntfy: 'bob' } }, { lang: 'en' });
    const { notification } = await repo.enqueue({ kind: 'call', source: 'cli', userId: bob.id, email: bob.email, message: 'm' });
    build(new ScriptedRunner(clock, [])).start();
    await settle();
    expect((await state(notification.id)).state).to.equal('failed');
    expect(handed[0].email).to.equal('bob@example.com');
  });
});
