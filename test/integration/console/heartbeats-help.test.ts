/** The pure parts of the heartbeats pages: cron matched to a period, shell quoting, the strip's spans. */
import { expect } from 'chai';
import { cronFor, pickKey, shellQuote, watchdogRepeatS } from '../../../src/console/heartbeats/ping-help';
import { stripData, STRIP_PERIODS } from '../../../src/console/heartbeats/timeline';
import type { Heartbeat, HeartbeatEvent } from '../../../src/watchers/heartbeats';
import { shellWords } from './heartbeats-support';

describe('console heartbeats: snippets and strip', () => {
  it('picks the coarsest cron schedule that still pings within the period', () => {
    expect(cronFor(59)).to.equal(null);
    expect(cronFor(60)).to.deep.equal({ schedule: '* * * * *', gapS: 60 });
    expect(cronFor(300)).to.deep.equal({ schedule: '*/5 * * * *', gapS: 300 });
    expect(cronFor(419)).to.deep.equal({ schedule: '*/6 * * * *', gapS: 360 });
    expect(cronFor(5400)).to.deep.equal({ schedule: '0 * * * *', gapS: 3600 });
    expect(cronFor(6 * 3600)).to.deep.equal({ schedule: '0 */6 * * *', gapS: 21600 });
    expect(cronFor(90_000)).to.deep.equal({ schedule: '0 0 * * *', gapS: 86400 });
    expect(cronFor(3 * 86400)).to.deep.equal({ schedule: '0 0 */3 * *', gapS: 259200 });
    expect(cronFor(30 * 86400)).to.deep.equal({ schedule: '0 0 * * 0', gapS: 604800 });
    for (const p of [60, 61, 299, 3599, 3600, 86399, 86400, 700_000]) expect(cronFor(p)!.gapS, String(p)).to.be.at.most(p);
  });

  it('repeats the Watchdog every minute, or twice per period when the period is short', () => {
    expect(watchdogRepeatS(300)).to.equal(60);
    expect(watchdogRepeatS(20)).to.equal(10);
    expect(watchdogRepeatS(1)).to.equal(1);
  });

  it('quotes for the shell only when needed, and the shell reads back the same word', () => {
    expect(shellQuote('http://h:8080/ping/k/a%20b')).to.equal('http://h:8080/ping/k/a%20b');
    for (const s of ["it's", 'a&b', 'x?y=1&z', '$HOME', 'back`tick`', "'", 'Authorization: GenieKey k']) {
      const q = shellQuote(s);
      expect(q.startsWith("'"), s).to.equal(true);
      expect(shellWords(`curl ${q}`)).to.deep.equal(['curl', s]);
    }
  });

  it('picks the requested key, else the first, and none when none is configured', () => {
    expect(pickKey([], '1')).to.equal(null);
    expect(pickKey(['a', 'b'], undefined)).to.deep.equal({ index: 1, count: 2, value: 'a' });
    expect(pickKey(['a', 'b'], '2')).to.deep.equal({ index: 2, count: 2, value: 'b' });
    expect(pickKey(['a', 'b'], '0')!.index).to.equal(1);
    expect(pickKey(['a', 'b'], ['2'])!.index).to.equal(1);
  });

  describe('strip', () => {
    const now = 10_000_000;
    const hb = (o: Partial<Heartbeat> = {}): Heartbeat => ({
      id: 1,
      name: 'x',
      kind: 'healthchecks',
      periodS: 60,
      graceS: 0,
      enabled: true,
      page: [],
      description: null,
      state: 'up',
      lastPingAt: null,
      stateChangedAt: 0,
      dueAt: null,
      createdAt: 0,
      options: {},
      ...o,
    });
    const ev = (at: number, event: HeartbeatEvent['event'], detail: string | null = null): HeartbeatEvent => ({ at, event, detail });

    it('covers the last periods; a down that began before the window is drawn from its start', () => {
      const start = now - STRIP_PERIODS * 60_000;
      const d = stripData(
        hb(),
        [
          ev(start - 5000, 'state', 'up → down: no ping'),
          ev(start + 60_000, 'ping', 'p'),
          ev(start + 60_000, 'state', 'down → up: ping from p'),
        ],
        now,
      );
      expect(d.start).to.equal(start);
      expect(d.segments).to.deep.equal([
        { from: start, to: start + 60_000, state: 'down' },
        { from: start + 60_000, to: now, state: 'up' },
      ]);
      expect(d.pings).to.deep.equal([start + 60_000]);
      expect(d.partial).to.equal(false);
    });

    it('without events before the window, starts in the state the first change left', () => {
      const d = stripData(hb({ state: 'up' }), [ev(now - 1000, 'state', 'late → up: ping from p'), ev(now - 50_000, 'fail', 'x')], now);
      expect(d.segments.map((s) => s.state)).to.deep.equal(['late', 'up']);
      expect(d.fails).to.deep.equal([now - 50_000]);
    });

    it('begins at creation for a young heartbeat, and says so when the events read do not reach back', () => {
      expect(stripData(hb({ createdAt: now - 1000, state: 'new' }), [], now).segments).to.deep.equal([
        { from: now - 1000, to: now, state: 'new' },
      ]);
      const many = Array.from({ length: 5 }, (_, i) => ev(now - 1000 * (i + 1), 'ping', 'p'));
      const d = stripData(hb(), many, now, 5);
      expect(d.partial).to.equal(true);
      expect(d.start).to.equal(now - 5000);
    });
  });
});
