import { expect } from 'chai';
import { ShiftWorld } from './harness';
import { DirectPager } from '../../../src/dispatch/direct-pager';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { silentLogger } from '../../../src/core/log';
import type { ShiftPager } from '../../../src/watchers/shifts';

describe('shift watcher through the real DirectPager', function () {
  this.timeout(20000);
  let w: ShiftWorld;
  afterEach(async () => w?.close());

  it('queues one push per notice, even when the notice record was lost after sending', async () => {
    w = await ShiftWorld.create('2026-11-21T07:59:02Z');
    const alice = await w.person('alice@example.com', { timezone: 'Europe/Berlin' });
    w.oncall.state.addSchedule({
      name: 'Primary',
      onCallFromShifts: true,
      shifts: [{ userId: alice, start: '2026-11-21T08:00:00Z', end: '2026-11-21T20:00:00Z' }],
    });
    const notifications = new NotificationsRepo(w.t.db, () => w.clock.now());
    const pager: ShiftPager = new DirectPager(w.users, notifications, silentLogger(), () => undefined);
    w.watcher = w.newWatcher(pager);
    await w.start();
    await w.minutes(1);
    await w.t.db('shift_notices').delete();
    await w.t.db('shift_oncall').delete();
    await w.minutes(1);
    const rows = (await w.t.db('notifications').select('kind', 'source', 'message')) as { kind: string; source: string; message: string }[];
    expect(rows).to.deep.equal([{ kind: 'push', source: 'shift', message: 'Your shift on Primary starts at 09:00 and ends at 21:00.' }]);
  });
});
