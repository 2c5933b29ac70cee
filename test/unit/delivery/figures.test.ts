import { expect } from 'chai';
import { allWindows, byRow, computeFigures, histogram, median, percent, share, PageRow } from '../../../src/delivery';
import { ACK_BUCKETS, RING_BUCKETS } from '../../../src/metrics/delivery';
import { ACK_BUCKETS_S, RING_BUCKETS_S } from '../../../src/delivery';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const page = (o: Partial<PageRow> & { ago: number }): PageRow => ({
  channel: 'voice',
  trunk: 'a',
  receivedAt: NOW - o.ago * MIN,
  firstRingAt: null,
  ackedAt: null,
  ...o,
});
const acked = (ago: number, afterMin: number, o: Partial<PageRow> = {}) => page({ ago, ackedAt: NOW - ago * MIN + afterMin * MIN, ...o });

describe('delivery figures (pure)', () => {
  it('share: acknowledged within 1, 5 and 15 minutes, of pages at least 15 minutes old', () => {
    const rows = [acked(60, 0.5), acked(60, 3), acked(60, 10), acked(60, 30), page({ ago: 60 }), acked(5, 0.1)];
    expect(share(rows, NOW)).to.deep.equal({ pages: 5, acked: { '1m': 1, '5m': 2, '15m': 3 } });
  });

  it('histograms count at or under each bound, the rest over the top', () => {
    const h = histogram([10, 60], [0, 10, 11, 60, 61]);
    expect(h).to.deep.equal({ bounds: [10, 60], counts: [2, 2, 1], total: 5 });
    expect(median(h)).to.equal(60);
    expect(median(histogram([10], []))).to.equal(null);
  });

  it('one row per channel, then each voice trunk with the unknown trunk last', () => {
    const rows = [
      acked(100, 1, { trunk: 'b' }),
      acked(100, 1, { trunk: null }),
      acked(100, 1, { trunk: 'a', firstRingAt: NOW - 100 * MIN + 7_000 }),
      acked(100, 20, { channel: 'sms', trunk: null }),
    ];
    const f = computeFigures(rows, '24h', NOW);
    expect(f.rows.map((r) => [r.channel, r.trunk])).to.deep.equal([
      ['voice', undefined],
      ['voice', 'a'],
      ['voice', 'b'],
      ['voice', null],
      ['sms', undefined],
    ]);
    expect(f.rows[0].share.pages).to.equal(3);
    expect(f.rows[1].ring.counts[RING_BUCKETS_S.indexOf(10)]).to.equal(1);
    expect(percent(f.rows[4].share, '5m')).to.equal('0.0 %');
    expect(percent(f.rows[0].share, '5m')).to.equal('100 %');
  });

  it('windows: 24 h, 7 d and 30 d from one read, matched row by row', () => {
    const rows = [acked(2 * 24 * 60, 1), page({ ago: 20 * 24 * 60 }), acked(60, 2, { channel: 'push', trunk: null })];
    const all = allWindows(rows, NOW);
    expect(all.map((f) => f.window)).to.deep.equal(['24h', '7d', '30d']);
    const lines = byRow(all);
    const voice = lines.find((l) => l.key.channel === 'voice' && l.key.trunk === undefined)!;
    expect(voice.windows.map((w) => w?.share.pages ?? null)).to.deep.equal([null, 1, 2]);
    expect(percent(voice.windows[2]!.share, '5m')).to.equal('50.0 %');
    expect(percent(undefined, '5m')).to.equal('—');
  });

  it('the console and /metrics use the same histogram bounds', () => {
    expect([...RING_BUCKETS_S]).to.deep.equal(RING_BUCKETS);
    expect([...ACK_BUCKETS_S]).to.deep.equal(ACK_BUCKETS);
  });
});
