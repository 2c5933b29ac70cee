import { expect } from 'chai';
import { next, MachineState } from '../../../src/watchers/heartbeats';
import { parseDuration, formatSeconds } from '../../../src/watchers/duration';
import { heartbeatsSectionSchema, adminsSectionSchema } from '../../../src/watchers/config';

const base: MachineState = { state: 'up', lastPingAt: 0, dueAt: 60_000, periodS: 60, graceS: 30 };

describe('heartbeat machine (pure)', () => {
  it('up → late at the deadline, late → down after grace with one page', () => {
    const late = next(base, { type: 'due' }, 60_000);
    expect([late.next.state, late.next.dueAt]).to.deep.equal(['late', 90_000]);
    expect(late.actions.filter((a) => a.type === 'page')).to.have.length(0);
    const down = next(late.next, { type: 'due' }, 90_000);
    expect(down.next.state).to.equal('down');
    expect(down.actions.filter((a) => a.type === 'page').map((a) => a.type === 'page' && a.event)).to.deep.equal(['down']);
  });

  it('a stale timer (before the deadline) changes nothing', () => {
    const r = next(base, { type: 'due' }, 59_999);
    expect(r.next.state).to.equal('up');
    expect(r.actions).to.deep.equal([]);
  });

  it('ping from down pages recovered; ping while paused only records', () => {
    const rec = next({ ...base, state: 'down', dueAt: null }, { type: 'ping', source: 's' }, 5000);
    expect(rec.next).to.include({ state: 'up', lastPingAt: 5000, dueAt: 65_000, stateChangedAt: 5000 });
    expect(rec.actions.some((a) => a.type === 'page' && a.event === 'recovered')).to.equal(true);
    const paused = next({ ...base, state: 'paused', dueAt: null }, { type: 'ping', source: 's' }, 5000);
    expect(paused.next).to.include({ state: 'paused', lastPingAt: 5000, dueAt: null });
    expect(paused.actions.map((a) => a.type)).to.deep.equal(['record']);
  });

  it('restart: an overdue up/late heartbeat gets a fresh grace window; down and future deadlines are kept', () => {
    expect(next(base, { type: 'restart' }, 500_000).next).to.include({ state: 'late', dueAt: 530_000 });
    expect(next({ ...base, state: 'late', dueAt: 90_000 }, { type: 'restart' }, 500_000).next).to.include({
      state: 'late',
      dueAt: 530_000,
    });
    expect(next({ ...base, state: 'late', dueAt: 90_000 }, { type: 'restart' }, 80_000).next).to.include({ state: 'late', dueAt: 90_000 });
    const down = next({ ...base, state: 'down', dueAt: null }, { type: 'restart' }, 500_000);
    expect(down.next.state).to.equal('down');
    expect(down.actions).to.deep.equal([]);
  });

  it('fail goes down from new/up/late but not paused', () => {
    for (const state of ['new', 'up', 'late'] as const)
      expect(next({ ...base, state }, { type: 'fail', reason: 'x' }, 1).next.state).to.equal('down');
    expect(next({ ...base, state: 'paused' }, { type: 'fail', reason: 'x' }, 1).next.state).to.equal('paused');
  });
});

describe('durations and config sections', () => {
  it('parses operator durations', () => {
    expect(['90s', '5m', '1h', '1d', '1h30m', '45', 120].map(parseDuration)).to.deep.equal([
      90_000, 300_000, 3_600_000, 86_400_000, 5_400_000, 45_000, 120_000,
    ]);
    expect(['', 'm5', '5 minutes', '-1s', '1x'].map(parseDuration)).to.deep.equal([null, null, null, null, null]);
    expect(formatSeconds(5400)).to.equal('1h30m');
  });

  it('heartbeats: accepts a list or the full mapping; rejects bad durations and e-mails', () => {
    const list = heartbeatsSectionSchema.parse([{ name: 'backup', every: '1d', grace: '1h', page: ['a@example.com'] }]);
    expect(list.declare[0]).to.deep.include({ name: 'backup', kind: 'healthchecks', every: 86400, grace: 3600 });
    const full = heartbeatsSectionSchema.parse({
      oncall_alert_url: 'https://oncall.example.com/integrations/v1/formatted_webhook/abc/',
      page: ['ops@example.com'],
      declare: [{ name: 'peer-b', kind: 'peer', every: '1m', grace: '2m' }],
    });
    expect([full.page, full.watchdog_every, full.declare[0].kind]).to.deep.equal([['ops@example.com'], 300, 'peer']);
    expect(heartbeatsSectionSchema.safeParse([{ name: 'x', every: 'soon' }]).success).to.equal(false);
    expect(heartbeatsSectionSchema.safeParse({ page: ['not-an-email'] }).success).to.equal(false);
    expect(adminsSectionSchema.parse(['root@example.com'])).to.deep.equal(['root@example.com']);
  });
});
