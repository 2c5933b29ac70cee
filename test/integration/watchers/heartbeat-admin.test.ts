/**
 * HeartbeatAdmin: an operator's change and its audit entry commit together. When the entry cannot
 * be written the change is undone, and so are its effects: no page, no listener call, and the
 * timers keep watching the heartbeat as it still is.
 */
import { BreakableAudit } from '../../helpers/breakable-audit';
import { refusal } from '../../helpers/rejection';
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { AuditRepo } from '../../../src/audit';
import { HeartbeatAdmin, HeartbeatService, HeartbeatsRepo, type Heartbeat } from '../../../src/watchers/heartbeats';
import { FakePager } from '../../unit/watchers/fakes';

const S = 1000;

/** The message the promise is rejected with (and a failure when it is not rejected). */
describe('HeartbeatAdmin (SQLite, fake clock)', () => {
  let t: TestDb;
  let clock: FakeClock;
  let pager: FakePager;
  let svc: HeartbeatService;
  let audit: BreakableAudit;
  let admin: HeartbeatAdmin;
  let changed: Heartbeat[];

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
    pager = new FakePager();
    changed = [];
    svc = new HeartbeatService({
      repo: new HeartbeatsRepo(t.db),
      clock,
      logger: silentLogger(),
      pager,
      onChange: (hb) => changed.push(hb),
    });
    await svc.start();
    audit = new BreakableAudit(new AuditRepo(t.db, () => clock.now()));
    admin = new HeartbeatAdmin({ service: svc, audit });
    await admin.create('tester', { name: 'backup', kind: 'healthchecks', periodS: 60, graceS: 30, page: ['ops@example.com'] });
    await svc.ping('backup', 'test');
  });
  afterEach(async () => {
    await svc.stop();
    await t.close();
  });
  const tick = async (ms: number) => {
    await clock.advance(ms);
    await svc.idle();
  };
  const state = async () => (await svc.get('backup'))?.state;

  it('audits each change with its actor and what it did; a change that changes nothing is not logged', async () => {
    await admin.pause('alice', 'backup');
    await admin.resume('alice', 'backup');
    await admin.update('bob', 'backup', { periodS: 120 });
    await admin.update('bob', 'backup', { periodS: 120 });
    await admin.remove('carol', 'backup');
    const log = (await audit.list()).reverse().map((e) => ({ actor: e.actor, action: e.action, detail: e.detail }));
    expect(log).to.deep.equal([
      {
        actor: 'tester',
        action: 'heartbeat.create',
        detail: {
          kind: 'healthchecks',
          every: '1m',
          grace: '30s',
          page: ['ops@example.com'],
          description: null,
          period_s: 60,
          grace_s: 30,
        },
      },
      { actor: 'alice', action: 'heartbeat.pause', detail: { from: 'up', to: 'paused' } },
      { actor: 'alice', action: 'heartbeat.resume', detail: { from: 'paused', to: 'up' } },
      { actor: 'bob', action: 'heartbeat.update', detail: { every: { from: '1m', to: '2m' } } },
      {
        actor: 'carol',
        action: 'heartbeat.remove',
        detail: { kind: 'healthchecks', every: '2m', grace: '30s', page: ['ops@example.com'], description: null, state: 'up' },
      },
    ]);
  });

  it('a pause that cannot be audited is undone: still up, no listener call, and its deadline still fires', async () => {
    audit.broken = true;
    const seen = changed.length;
    expect(await refusal(admin.pause('alice', 'backup'))).to.equal('audit log refused');
    expect(await state()).to.equal('up');
    expect(changed).to.have.length(seen);
    await tick(60 * S);
    expect(await state()).to.equal('late');
  });

  it('a test ping that cannot be audited neither recovers the heartbeat nor pages "recovered"', async () => {
    await tick(90 * S);
    expect(await state()).to.equal('down');
    expect(pager.summary()).to.deep.equal(['down:backup']);
    audit.broken = true;
    expect(await refusal(admin.ping('alice', 'backup', 'console'))).to.equal('audit log refused');
    await svc.idle();
    expect(await state()).to.equal('down');
    expect(pager.summary()).to.deep.equal(['down:backup']);
  });

  it('a create, an edit or a removal that cannot be audited is undone, and the timers keep running', async () => {
    audit.broken = true;
    expect(
      await refusal(admin.create('alice', { name: 'other', kind: 'healthchecks', periodS: 60, graceS: 30, page: ['ops@example.com'] })),
    ).to.equal('audit log refused');
    expect(await refusal(admin.update('alice', 'backup', { periodS: 3600 }))).to.equal('audit log refused');
    expect(await refusal(admin.remove('alice', 'backup'))).to.equal('audit log refused');
    expect(await svc.get('other')).to.equal(null);
    expect((await svc.get('backup'))!.periodS).to.equal(60);
    await tick(60 * S);
    expect(await state()).to.equal('late');
  });
});
