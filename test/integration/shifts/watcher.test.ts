import { expect } from 'chai';
import { ShiftWorld } from './harness';

describe('shift watcher against the fake OnCall (fake clock, real SQLite)', function () {
  this.timeout(20000);
  let w: ShiftWorld;
  afterEach(async () => w?.close());

  // Saturday 21 November 2026. Berlin is UTC+1, Moscow UTC+3.
  async function primary(world: ShiftWorld): Promise<{ alice: string; bob: string; id: string }> {
    const alice = await world.person('alice@example.com', { timezone: 'Europe/Berlin' });
    const bob = await world.person('bob@example.com', { timezone: 'Europe/Moscow', lang: 'ru' });
    const s = world.oncall.state.addSchedule({
      name: 'Primary',
      onCallFromShifts: true,
      shifts: [
        { userId: alice, start: '2026-11-21T08:00:00Z', end: '2026-11-21T20:00:00Z' },
        { userId: bob, start: '2026-11-21T20:00:00Z', end: '2026-11-22T08:00:00Z' },
      ],
    });
    return { alice, bob, id: s.id };
  }

  it('tells people when they go on and off call, on their clock and in their language', async () => {
    w = await ShiftWorld.create('2026-11-21T07:58:02Z');
    await primary(w);
    await w.start();
    await w.minutes(1);
    expect(w.pager.pages).to.deep.equal([]);
    await w.minutes(1); // 08:00:02
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary starts at 09:00 and ends at 21:00.']);
    expect(w.pager.pages[0]).to.include({ source: 'shift' });
    await w.minutes(3);
    expect(w.pager.pages).to.have.length(1);

    await w.restartAt('2026-11-21T19:59:02Z');
    await w.minutes(1); // 20:00:02
    expect(w.pager.lines().slice(1)).to.have.members([
      'bob@example.com: Ваша смена по расписанию «Primary» начинается в 23:00 и заканчивается в воскресенье в 11:00.',
      'alice@example.com: Your shift on Primary ended at 21:00.',
    ]);
    expect((await w.repo.sent()).map((n) => n.kind)).to.have.members(['on', 'on', 'off']);
  });

  it('the first look ever is a baseline: whoever is on call already hears nothing', async () => {
    w = await ShiftWorld.create('2026-11-21T10:00:02Z');
    await primary(w);
    await w.start();
    await w.minutes(2);
    expect(w.pager.pages).to.deep.equal([]);
    expect(w.logged('schedule watched from now on')).to.have.length(1);
  });

  it('reminds N minutes before the shift, once, then says it started', async () => {
    w = await ShiftWorld.create('2026-11-21T07:43:02Z', { remind_before: '15m' });
    await primary(w);
    await w.start();
    await w.minutes(1); // 07:44:02: 15m58s ahead, not yet
    expect(w.pager.pages).to.deep.equal([]);
    await w.minutes(1); // 07:45:02
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary starts in 15 minutes, at 09:00, and ends at 21:00.']);
    await w.minutes(15); // to 08:00:02
    expect(w.pager.lines()).to.deep.equal([
      'alice@example.com: Your shift on Primary starts in 15 minutes, at 09:00, and ends at 21:00.',
      'alice@example.com: Your shift on Primary starts at 09:00 and ends at 21:00.',
    ]);
    expect(w.pager.pages.map((p) => p.dedupeKey)).to.satisfy((keys: string[]) => new Set(keys).size === 2);
  });

  it('sends nothing twice after a restart (a new watcher on the same database)', async () => {
    w = await ShiftWorld.create('2026-11-21T07:44:02Z', { remind_before: '15m' });
    await primary(w);
    await w.start();
    await w.minutes(1); // reminder at 07:45:02
    await w.restartAt('2026-11-21T07:45:40Z');
    await w.minutes(1);
    expect(w.pager.pages).to.have.length(1);
    await w.restartAt('2026-11-21T07:59:02Z');
    await w.minutes(1); // on at 08:00:02
    await w.restartAt('2026-11-21T08:00:30Z');
    await w.minutes(2);
    expect(w.pager.pages.map((p) => p.text.slice(0, 40))).to.deep.equal([
      'Your shift on Primary starts in 15 minut',
      'Your shift on Primary starts at 09:00 an',
    ]);
  });

  it('a change that happened while dozvon was down is told after the restart, in the past tense', async () => {
    w = await ShiftWorld.create('2026-11-21T07:58:02Z');
    await primary(w);
    await w.start();
    await w.restartAt('2026-11-21T08:30:02Z');
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary started at 09:00 and ends at 21:00.']);
    await w.restartAt('2026-11-21T20:45:02Z');
    expect(w.pager.lines().slice(1)).to.have.members([
      'alice@example.com: Your shift on Primary ended at 21:00.',
      'bob@example.com: Ваша смена по расписанию «Primary» началась в 23:00 и заканчивается в воскресенье в 11:00.',
    ]);
  });

  it('a notice sent but not recorded (crash) is not sent again: the same dedupe key goes to the pager', async () => {
    w = await ShiftWorld.create('2026-11-21T07:59:02Z');
    await primary(w);
    await w.start();
    await w.minutes(1);
    expect(w.pager.pages).to.have.length(1);
    // As if the process died after paging: the record and the new on-call state are lost.
    await w.t.db('shift_notices').delete();
    await w.t.db('shift_oncall').delete();
    await w.minutes(1);
    expect(w.pager.pages).to.have.length(2);
    expect(w.pager.pages[1].dedupeKey).to.equal(w.pager.pages[0].dedupeKey);
  });

  it('a failed send is tried again at the next look, and recorded once', async () => {
    w = await ShiftWorld.create('2026-11-21T07:59:02Z');
    await primary(w);
    await w.start();
    w.pager.failures = 1;
    await w.minutes(1);
    expect(w.pager.pages).to.have.length(0);
    expect(w.logged('shift notice not sent; trying again at the next look')).to.have.length(1);
    await w.minutes(1);
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary starts at 09:00 and ends at 21:00.']);
    await w.minutes(2);
    expect(w.pager.pages).to.have.length(1);
    expect(await w.repo.sent()).to.have.length(1);
  });

  it('ignores OnCall users who are not in the directory, with one log line', async () => {
    w = await ShiftWorld.create('2026-11-21T07:43:02Z', { remind_before: '15m' });
    const carol = await w.person('carol@example.com', { inDirectory: false });
    w.oncall.state.addSchedule({
      name: 'Secondary',
      onCallFromShifts: true,
      shifts: [{ userId: carol, start: '2026-11-21T08:00:00Z', end: '2026-11-21T20:00:00Z' }],
    });
    await w.start();
    await w.minutes(18); // through the reminder window and the start
    expect(w.pager.pages).to.deep.equal([]);
    const lines = w.logged('shift notice skipped: OnCall user not in the directory');
    expect(lines.map((l) => l.kind)).to.deep.equal(['reminder', 'on']);
    expect(JSON.stringify(lines)).not.to.include('carol@example.com');
  });

  it('OnCall down: no notices, no crash, one warning; the next look after recovery catches up', async () => {
    w = await ShiftWorld.create('2026-11-21T07:58:02Z');
    await primary(w);
    await w.start();
    await w.oncall.setDown('refused');
    await w.minutes(2); // 08:00:02, OnCall unreachable
    await w.oncall.setDown(503);
    await w.minutes(1);
    expect(w.pager.pages).to.deep.equal([]);
    expect(w.logged('cannot read OnCall schedules; no shift notices until it answers')).to.have.length(1);
    expect(w.clock.pending()).to.equal(1);
    await w.oncall.setDown(false);
    await w.minutes(1); // 08:03:02
    expect(w.logged('OnCall schedules readable again')).to.have.length(1);
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary starts at 09:00 and ends at 21:00.']);
  });

  it('watches only the configured schedules (by id or name) and warns once about a missing one', async () => {
    w = await ShiftWorld.create('2026-11-21T07:59:02Z', { schedules: ['Primary', 'Nonexistent'] });
    const { alice } = await primary(w);
    const other = w.oncall.state.addSchedule({
      name: 'Other',
      onCallFromShifts: true,
      shifts: [{ userId: alice, start: '2026-11-21T08:00:00Z', end: '2026-11-21T09:00:00Z' }],
    });
    await w.start();
    await w.minutes(2);
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary starts at 09:00 and ends at 21:00.']);
    expect(w.logged('configured schedule not found in OnCall')).to.have.length(1);
    expect(await w.t.db('shift_schedules').pluck('name')).to.deep.equal(['Primary']);
    expect(other.id).to.be.a('string');
  });

  it('on_call / off_call switches silence those notices but still follow who is on call', async () => {
    w = await ShiftWorld.create('2026-11-21T19:59:02Z', { on_call: false });
    await primary(w);
    await w.start();
    await w.minutes(1);
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary ended at 21:00.']);
  });

  it('stop() leaves no timer behind and no look running', async () => {
    w = await ShiftWorld.create('2026-11-21T07:59:02Z');
    await primary(w);
    await w.start();
    expect(w.clock.pending()).to.equal(1);
    await w.watcher.stop();
    expect(w.clock.pending()).to.equal(0);
    await w.clock.advance(5 * 60_000);
    expect(w.pager.pages).to.deep.equal([]);
    // The same instance can be started again (a cluster singleton hands leadership back and forth).
    await w.start();
    expect(w.pager.lines()).to.deep.equal(['alice@example.com: Your shift on Primary starts at 09:00 and ends at 21:00.']);
  });
});
