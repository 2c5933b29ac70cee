import { expect } from 'chai';
import { ShiftWorld } from './harness';

describe('shift watcher across daylight-saving changes', function () {
  this.timeout(20000);
  let w: ShiftWorld;
  afterEach(async () => w?.close());

  it('Europe/Berlin, 25 Oct 2026: 09:00 CEST to 09:00 CET is said as 09:00 at both ends', async () => {
    w = await ShiftWorld.create('2026-10-24T06:44:02Z', { remind_before: '15m' });
    const alice = await w.person('alice@example.com', { timezone: 'Europe/Berlin' });
    const bob = await w.person('bob@example.com', { timezone: 'Europe/Berlin', lang: 'ru' });
    w.oncall.state.addSchedule({
      name: 'Primary',
      onCallFromShifts: true,
      shifts: [
        { userId: alice, start: '2026-10-24T07:00:00Z', end: '2026-10-25T08:00:00Z' }, // Sat 09:00 CEST → Sun 09:00 CET: 25 hours
        { userId: bob, start: '2026-10-25T08:00:00Z', end: '2026-10-26T08:00:00Z' },
      ],
    });
    await w.start();
    await w.minutes(1); // 06:45:02Z = 08:45 CEST
    await w.minutes(15); // 07:00:02Z = 09:00 CEST
    await w.restartAt('2026-10-25T07:44:02Z');
    await w.minutes(1); // 07:45:02Z = 08:45 CET
    await w.minutes(15); // 08:00:02Z = 09:00 CET
    expect(w.pager.lines()).to.deep.equal([
      'alice@example.com: Your shift on Primary starts in 15 minutes, at 09:00, and ends Sunday 09:00.',
      'alice@example.com: Your shift on Primary starts at 09:00 and ends Sunday 09:00.',
      'bob@example.com: Через 15 минут, в 09:00, начинается ваша смена по расписанию «Primary»; она заканчивается в понедельник в 09:00.',
      'bob@example.com: Ваша смена по расписанию «Primary» начинается в 09:00 и заканчивается в понедельник в 09:00.',
      'alice@example.com: Your shift on Primary ended at 09:00.',
    ]);
  });

  it('America/New_York, 1 Nov 2026: the hand-over at the first 01:30 and the end at 08:00 EST', async () => {
    w = await ShiftWorld.create('2026-10-31T23:59:02Z');
    const carol = await w.person('carol@example.com', { timezone: 'America/New_York' });
    // No zone in the directory: the one in the OnCall profile is used.
    const dave = await w.person('dave@example.com', { oncallTimezone: 'America/New_York' });
    w.oncall.state.addSchedule({
      name: 'NY',
      onCallFromShifts: true,
      shifts: [
        { userId: carol, start: '2026-11-01T00:00:00Z', end: '2026-11-01T05:30:00Z' }, // Sat 20:00 EDT → Sun 01:30 EDT
        { userId: dave, start: '2026-11-01T05:30:00Z', end: '2026-11-01T13:00:00Z' }, // Sun 01:30 EDT → 08:00 EST (7.5 hours)
      ],
    });
    await w.start();
    await w.minutes(1); // 00:00:02Z
    await w.restartAt('2026-11-01T05:29:02Z');
    await w.minutes(1); // 05:30:02Z
    await w.restartAt('2026-11-01T12:59:02Z');
    await w.minutes(1); // 13:00:02Z
    const lines = w.pager.lines();
    expect(lines[0]).to.equal('carol@example.com: Your shift on NY starts at 20:00 and ends Sunday 01:30.');
    expect(lines.slice(1, 3)).to.have.members([
      'carol@example.com: Your shift on NY ended at 01:30.',
      'dave@example.com: Your shift on NY starts at 01:30 and ends at 08:00.',
    ]);
    expect(lines.slice(3)).to.deep.equal(['dave@example.com: Your shift on NY ended at 08:00.']);
  });

  it('someone with no zone anywhere hears the configured default, named', async () => {
    w = await ShiftWorld.create('2026-11-21T07:59:02Z', { default_timezone: 'Europe/Moscow' });
    const erin = await w.person('erin@example.com', { oncallTimezone: 'Not/AZone' });
    w.oncall.state.addSchedule({
      name: 'P',
      onCallFromShifts: true,
      shifts: [{ userId: erin, start: '2026-11-21T08:00:00Z', end: '2026-11-21T09:00:00Z' }],
    });
    await w.start();
    await w.minutes(1);
    expect(w.pager.lines()).to.deep.equal([
      'erin@example.com: Your shift on P starts at 11:00 and ends at 12:00. Times are in Europe/Moscow.',
    ]);
  });
});
