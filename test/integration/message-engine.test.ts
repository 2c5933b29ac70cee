import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { FakeClock } from '../fakes/clock';
import { FakeSmsGateway } from '../fakes/senders';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { MessageEngine } from '../../src/dispatch/message-engine';
import { buildSenders, SenderSet } from '../../src/senders';
import { DEFAULT_LIMITS } from '../../src/limits';
import { silentLogger } from '../../src/core/log';

describe('message engine: SMS bundling, retries and failure records (fake clock, fake gateway)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let gw: FakeSmsGateway;
  let senders: SenderSet;
  let repo: NotificationsRepo;
  let engine: MessageEngine;
  let userId: number;

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock(Date.now());
    gw = await FakeSmsGateway.start();
    senders = buildSenders(
      { sms: [{ type: 'http', name: 'gw', url: `${gw.url}/send`, body: { to: '{{to}}', text: '{{text}}' } }] },
      { clock, logger: silentLogger() },
    );
    repo = new NotificationsRepo(t.db, () => clock.now());
    const users = new UsersRepo(t.db, () => clock.now());
    userId = (await users.create({ email: 'a@x.io', name: 'A', phone: '+15550001111', channels: ['sms'] }, { lang: 'en' })).id;
    engine = new MessageEngine(
      { repo, users, senders, ackUrl: (n) => `http://dozvon.test/ack/${n.id}`, limits: DEFAULT_LIMITS, clock, logger: silentLogger() },
      { instanceId: 'i1', sweepMs: 1000 },
    );
    engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await senders.close();
    await gw.close();
    await t.close();
  });

  const sms = async (message: string, alertGroupId?: string) => {
    const { notification } = await repo.enqueue({ kind: 'sms', source: 'oncall-cloud', userId, email: 'a@x.io', message, alertGroupId });
    engine.kick();
    await engine.idle();
    return notification.id;
  };
  const advance = async (ms: number) => {
    for (let d = 0; d < ms; d += 1000) {
      await clock.advance(Math.min(1000, ms - d));
      await engine.idle();
    }
  };
  const texts = () => gw.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);

  it('repeat SMS about an incident texted within 2 minutes wait and go out together as one message', async () => {
    await sms('first alert', 'IA');
    expect(texts()).to.have.length(1);
    const b = await sms('second alert', 'IA');
    await advance(30_000);
    const c = await sms('third alert', 'IA');
    expect(texts()).to.have.length(1);
    await advance(91_000);
    expect(texts()).to.have.length(2);
    expect(texts()[1], 'newest first').to.match(/^2 alerts: 1\) third alert 2\) second alert/);
    for (const id of [b, c]) expect((await repo.get(id))!.state).to.equal('delivered');
  });

  it('a temporary gateway failure is retried with backoff; a permanent one is recorded as failed with the reason', async () => {
    gw.queue({ status: 503, body: { error: 'busy' } });
    const id = await sms('retry me');
    expect((await repo.get(id))!.state).to.equal('pending');
    await advance(31_000);
    expect((await repo.get(id))!.state).to.equal('delivered');
    gw.queue({ status: 400, body: { error: 'bad number' } });
    await advance(121_000);
    const bad = await sms('refused');
    const row = (await repo.get(bad))!;
    expect(row.state).to.equal('failed');
    expect(row.reason).to.match(/gw: .*400/);
  });
});
