import { expect } from 'chai';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import {
  HeartbeatService,
  HeartbeatsRepo,
  HeartbeatKind,
  ONCALL_HEARTBEAT,
  HeartbeatServiceOptions,
} from '../../../src/watchers/heartbeats';
import { FakeAlerter, FakePager } from '../../unit/watchers/fakes';

const S = 1000;

describe('HeartbeatService (SQLite, fake clock)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let pager: FakePager;
  let alerter: FakeAlerter;
  let svc: HeartbeatService;

  function build(extra: Partial<HeartbeatServiceOptions> = {}): HeartbeatService {
    return new HeartbeatService({
      repo: new HeartbeatsRepo(t.db),
      clock,
      logger: silentLogger(),
      pager,
      alerter,
      defaultPage: ['ops@example.com'],
      ...extra,
    });
  }
  async function tick(ms: number): Promise<void> {
    await clock.advance(ms);
    await svc.idle();
  }
  async function state(name: string): Promise<string | undefined> {
    return (await svc.get(name))?.state;
  }

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
    pager = new FakePager();
    alerter = new FakeAlerter();
    svc = build();
    await svc.start();
  });
  afterEach(async () => {
    await svc.stop();
    await t.close();
  });

  const kinds: HeartbeatKind[] = ['oncall', 'opsgenie', 'healthchecks', 'alertmanager', 'peer'];
  for (const kind of kinds) {
    it(`${kind}: new → up → late → down → up, paging once on down and once on recovery`, async () => {
      const timing = kind === 'oncall' ? ONCALL_HEARTBEAT : { periodS: 60, graceS: 30 };
      await svc.create({ name: `hb-${kind}`, kind, ...timing, page: ['alice@example.com'] });
      expect(await state(`hb-${kind}`)).to.equal('new');
      await tick(10 * 60 * S); // a new heartbeat is armed by its first ping, like OnCall's
      expect(await state(`hb-${kind}`)).to.equal('new');
      await svc.ping(`hb-${kind}`, { source: 'test' });
      expect(await state(`hb-${kind}`)).to.equal('up');
      await tick(timing.periodS * S - 1);
      expect(await state(`hb-${kind}`)).to.equal('up');
      await tick(1);
      expect(await state(`hb-${kind}`)).to.equal('late');
      expect(pager.pages).to.have.length(0);
      await tick(timing.graceS * S - 1);
      expect(await state(`hb-${kind}`)).to.equal('late');
      await tick(1);
      expect(await state(`hb-${kind}`)).to.equal('down');
      expect(pager.summary()).to.deep.equal([`down:hb-${kind}`]);
      expect(pager.pages[0].emails).to.deep.equal(['alice@example.com']);
      expect(pager.pages[0].text).to.match(new RegExp(`hb-${kind}.*down`));
      if (kind === 'oncall') expect(pager.pages[0].title).to.equal('OnCall OSS engine heartbeat missing');
      else expect(pager.pages[0].title).to.equal(`hb-${kind} is expired`);
      await tick(3600 * S); // staying down does not page again
      expect(pager.pages).to.have.length(1);
      await svc.ping(`hb-${kind}`, { source: 'test' });
      await svc.idle();
      expect(await state(`hb-${kind}`)).to.equal('up');
      expect(pager.summary()).to.deep.equal([`down:hb-${kind}`, `recovered:hb-${kind}`]);
      expect(alerter.sent.map((a) => a.state)).to.deep.equal(['alerting', 'ok']);
      expect(alerter.sent[0].alert_uid).to.equal(alerter.sent[1].alert_uid);
    });
  }

  it('a ping re-arms the deadline', async () => {
    await svc.create({ name: 'cron', kind: 'healthchecks', periodS: 60, graceS: 0 });
    await svc.ping('cron');
    for (let i = 0; i < 5; i++) {
      await tick(50 * S);
      await svc.ping('cron');
    }
    expect(await state('cron')).to.equal('up');
    await tick(60 * S);
    expect(await state('cron')).to.equal('down');
    expect(pager.pages[0].emails).to.deep.equal(['ops@example.com']); // default list: none of its own
  });

  it('fail() goes down at once and a ping recovers', async () => {
    await svc.create({ name: 'job', kind: 'healthchecks', periodS: 3600, graceS: 600 });
    await svc.ping('job');
    await svc.fail('job', 'exit status 3');
    await svc.idle();
    expect(await state('job')).to.equal('down');
    expect(pager.pages[0].text).to.contain('exit status 3');
    await svc.fail('job', 'again');
    await svc.idle();
    expect(pager.pages).to.have.length(1);
    await svc.ping('job');
    await svc.idle();
    expect(pager.summary()).to.deep.equal(['down:job', 'recovered:job']);
  });

  it('paused heartbeats never page; enabling gives a fresh window', async () => {
    await svc.create({ name: 'p', kind: 'opsgenie', periodS: 60, graceS: 0 });
    await svc.ping('p');
    await svc.disable('p');
    await tick(3600 * S);
    expect(await state('p')).to.equal('paused');
    await svc.enable('p');
    expect(await state('p')).to.equal('up');
    await tick(59 * S);
    expect(await state('p')).to.equal('up');
    await tick(1 * S);
    expect(await state('p')).to.equal('down');
    expect(pager.pages).to.have.length(1);
  });

  it('records history and remembers pings for unknown names', async () => {
    await svc.create({ name: 'h', kind: 'healthchecks', periodS: 60, graceS: 10 });
    await svc.ping('h', { source: 'cron@db-1' });
    await tick(70 * S);
    const hist = await svc.history('h');
    expect(hist.map((e) => e.event)).to.deep.equal(['state', 'state', 'state', 'ping']);
    expect(hist[3].detail).to.equal('cron@db-1');
    expect(hist[0].detail).to.match(/^late → down/);
    const r = await svc.ping('nightly-bakup', { source: 'opsgenie' });
    expect(r.heartbeat).to.equal(null);
    expect(svc.unknownPings().map((u) => [u.name, u.count])).to.deep.equal([['nightly-bakup', 1]]);
  });

  it('restart during late: the deadline after restart goes down and pages', async () => {
    await svc.create({ name: 'l', kind: 'healthchecks', periodS: 60, graceS: 120 });
    await svc.ping('l');
    await tick(60 * S);
    expect(await state('l')).to.equal('late');
    await svc.stop();
    await clock.advance(30 * S); // dozvon down for 30 s, deadline still ahead
    svc = build();
    await svc.start();
    expect(await state('l')).to.equal('late');
    await tick(90 * S - 1);
    expect(pager.pages).to.have.length(0);
    await tick(1);
    expect(await state('l')).to.equal('down');
    expect(pager.summary()).to.deep.equal(['down:l']);
  });

  it('restart after the deadline passed while we were down: fresh grace from our start, no false alarm', async () => {
    await svc.create({ name: 'u', kind: 'opsgenie', periodS: 60, graceS: 120 });
    await svc.ping('u');
    await svc.stop();
    await clock.advance(3600 * S); // down for an hour: period and grace both passed
    svc = build();
    await svc.start();
    expect(await state('u')).to.equal('late');
    expect(pager.pages).to.have.length(0);
    await svc.ping('u'); // the sender was fine all along
    await tick(60 * S - 1);
    expect(await state('u')).to.equal('up');
    // ...and if it really is gone, it still pages after the fresh grace window
    await svc.stop();
    await clock.advance(3600 * S);
    svc = build();
    await svc.start();
    await tick(120 * S);
    expect(await state('u')).to.equal('down');
    expect(pager.summary()).to.deep.equal(['down:u']);
  });

  it('restart during down: not paged again, recovery still reported', async () => {
    await svc.create({ name: 'd', kind: 'peer', periodS: 60, graceS: 0 });
    await svc.ping('d');
    await tick(60 * S);
    expect(pager.summary()).to.deep.equal(['down:d']);
    await svc.stop();
    await clock.advance(600 * S);
    svc = build();
    await svc.start();
    await tick(3600 * S);
    expect(await state('d')).to.equal('down');
    expect(pager.pages).to.have.length(1);
    await svc.ping('d');
    await svc.idle();
    expect(pager.summary()).to.deep.equal(['down:d', 'recovered:d']);
  });

  it('declared heartbeats are created at start and follow the YAML on restart, keeping state', async () => {
    await svc.stop();
    const declared = [{ name: 'backup', kind: 'healthchecks' as const, every: 86400, grace: 3600, page: ['dba@example.com'] }];
    svc = build({ declared });
    await svc.start();
    const hb = (await svc.get('backup'))!;
    expect([hb.kind, hb.periodS, hb.graceS, hb.page, hb.state]).to.deep.equal(['healthchecks', 86400, 3600, ['dba@example.com'], 'new']);
    await svc.ping('backup');
    await svc.stop();
    svc = build({ declared: [{ ...declared[0], every: 3600 }] });
    await svc.start();
    const again = (await svc.get('backup'))!;
    expect([again.periodS, again.state, again.dueAt]).to.deep.equal([3600, 'up', again.lastPingAt! + 3600 * S]);
  });

  it('long periods are reached in steps (no timer overflow) and leaves no timers after stop', async () => {
    await svc.create({ name: 'monthly', kind: 'opsgenie', periodS: 31 * 86400, graceS: 0 });
    await svc.ping('monthly');
    await tick(30 * 86400 * S);
    expect(await state('monthly')).to.equal('up');
    await tick(86400 * S);
    expect(await state('monthly')).to.equal('down');
    await svc.stop();
    expect(clock.pending()).to.equal(0);
  });

  it('auto-creates on first ping when asked, and the pager failing does not break the watcher', async () => {
    const r = await svc.ping('watchdog', { source: 'alertmanager', createWith: { kind: 'alertmanager', periodS: 60, graceS: 0 } });
    expect(r.created).to.equal(true);
    expect(r.heartbeat!.state).to.equal('up');
    pager.failNext = true;
    await tick(60 * S);
    expect(await state('watchdog')).to.equal('down');
    await svc.ping('watchdog');
    await svc.idle();
    expect(pager.summary()).to.deep.equal(['down:watchdog', 'recovered:watchdog']);
  });
});
