/**
 * Voice pages wait while no Asterisk is connected, for DOZVON_TELEPHONY_WAIT_MS
 * (default 2 min) on the fake clock, then fall back; nothing fails because a socket blinked.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { FakeClock } from '../fakes/clock';
import { NotificationsRepo, Notification } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { VoiceEngine } from '../../src/dispatch/voice-engine';
import { ChannelFallback } from '../../src/dispatch/channel-fallback';
import type { Preparer } from '../../src/dispatch/voice-types';
import type { CallReport, CallRunner, OutboundCall, PreparedPage } from '../../src/ivr/call-types';
import type { User } from '../../src/directory/user';
import type { TelephonyHealth } from '../../src/telephony';
import { silentLogger } from '../../src/core/log';

class AnsweringRunner implements CallRunner {
  calls: OutboundCall[] = [];
  constructor(private readonly clock: FakeClock) {}
  async run(call: OutboundCall): Promise<CallReport> {
    this.calls.push(call);
    const now = this.clock.now();
    return {
      outcome: 'answered',
      delivered: true,
      digits: '1',
      action: null,
      actionStatus: null,
      result: null,
      cause: '16 Normal Clearing',
      ringingAt: now,
      answeredAt: now,
      endedAt: now,
      settledAlertGroups: [],
    };
  }
}

const preparer: Preparer = {
  // Every page is prepared at once here: none ever waits in a line to be hurried.
  hurry: () => undefined,
  async prepare(n: Notification, user: User): Promise<PreparedPage> {
    return { notification: n, alertGroupId: n.alertGroupId, correlation: 'none', text: n.message, lang: user.lang, summary: null };
  },
};

/** What AriTelephony.health() says, switchable by the test. */
class SwitchableTelephony {
  up = false;
  configured = true;
  health(): Pick<TelephonyHealth, 'ok' | 'configured' | 'message'> {
    return {
      ok: this.up,
      configured: this.configured,
      message: this.up ? 'connected to 1 Asterisk server(s)' : '0/1 Asterisk server(s) connected; ast:8088: replaced',
    };
  }
}

describe('voice engine: pages wait while telephony is down (fake clock)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let repo: NotificationsRepo;
  let users: UsersRepo;
  let tel: SwitchableTelephony;
  let runner: AnsweringRunner;
  let engine: VoiceEngine | null;

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
    repo = new NotificationsRepo(t.db, () => clock.now());
    users = new UsersRepo(t.db, () => clock.now());
    tel = new SwitchableTelephony();
    runner = new AnsweringRunner(clock);
    engine = null;
  });
  afterEach(async () => {
    await engine?.stop();
    await t.close();
  });

  const start = (telephonyWaitMs?: number) => {
    engine = new VoiceEngine(
      {
        repo,
        users,
        runner,
        preparer,
        settled: null,
        fallback: new ChannelFallback(repo, () => undefined),
        clock,
        logger: silentLogger(),
        telephony: tel,
      },
      { instanceId: 'i1', maxCalls: 5, originatesPerSecond: 10, sweepMs: 1000, telephonyWaitMs },
    );
    engine.start();
  };
  const advance = async (ms: number) => {
    for (let done = 0; done < ms; done += 1000) {
      await clock.advance(Math.min(1000, ms - done));
      await engine!.idle();
    }
  };
  const page = async (channels: ('voice' | 'sms' | 'push')[] = ['voice', 'sms']) => {
    const u = await users.create(
      { email: `p${Math.random().toString(36).slice(2, 8)}@example.com`, name: 'P', phone: '+15550001111', channels },
      { lang: 'en' },
    );
    return (await repo.enqueue({ kind: 'call', source: 'heartbeat', userId: u.id, email: u.email, message: 'Heartbeat db-backup is down' }))
      .notification;
  };
  const row = async (id: number) => (await repo.get(id))!;
  const attempts = async (id: number) => (await repo.attemptsFor([id])).get(id) ?? [];
  const smsFallbacks = async () => (await t.db('notifications').where({ source: 'voice-fallback', kind: 'sms' })) as { payload: string }[];

  it('waits 2 minutes by default without trying (no attempt is spent), then hands the page to SMS', async () => {
    const n = await page();
    start();
    await advance(119_000);
    expect(runner.calls).to.have.length(0);
    expect(await attempts(n.id)).to.have.length(0);
    expect(await row(n.id)).to.include({ state: 'pending' });
    await advance(2_000);
    const r = await row(n.id);
    expect(r).to.include({ state: 'failed', outcome: 'not-delivered' });
    expect(r.reason).to.match(
      /^no Asterisk connected for 2 min \(0\/1 Asterisk server\(s\) connected; ast:8088: replaced\); handed over to sms$/,
    );
    expect(await smsFallbacks()).to.have.length(1);
    expect(runner.calls).to.have.length(0);
  });

  it('telephony back within the wait: the page is called as if nothing happened', async () => {
    const n = await page();
    start();
    await advance(90_000);
    tel.up = true;
    await advance(2_000);
    expect(runner.calls).to.have.length(1);
    const r = await row(n.id);
    expect(r).to.include({ state: 'delivered', outcome: 'digit' });
    expect((await attempts(n.id)).map((a) => a.outcome)).to.deep.equal(['answered']);
    expect(await smsFallbacks()).to.have.length(0);
  });

  it('the wait is DOZVON_TELEPHONY_WAIT_MS: 0 falls back at once', async () => {
    const n = await page();
    start(0);
    await advance(1_000);
    expect((await row(n.id)).state).to.equal('failed');
    expect((await row(n.id)).reason).to.match(/^no Asterisk connected for 0 s/);
  });

  it('a person with no other channel is not failed: the page keeps waiting and rings when telephony is back', async () => {
    const n = await page(['voice']);
    start();
    await advance(10 * 60_000);
    expect(await row(n.id)).to.include({ state: 'pending' });
    expect(runner.calls).to.have.length(0);
    tel.up = true;
    await advance(11_000);
    expect(runner.calls).to.have.length(1);
    expect((await row(n.id)).state).to.equal('delivered');
  });

  it('telephony that is not configured is not waited for: the call runner is asked at once (and reports not-configured)', async () => {
    tel.configured = false;
    await page();
    start();
    await advance(1_000);
    expect(runner.calls).to.have.length(1);
  });
});
