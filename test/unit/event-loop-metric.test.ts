/**
 * The event-loop gauge over a fake monitor that records what the test says the loop did, so the
 * arithmetic is checked without timing the machine. Whether Node's own monitor sees a real stall
 * is measured by `npx tsx bench/event-loop.ts`.
 */
import { expect } from 'chai';
import { Metrics, LoopMonitor } from '../../src/metrics';
import { parseExposition } from '../integration/metrics/exposition';

const MS = 1e6;

/** Node's IntervalHistogram as the gauge reads it: the intervals between samples, in ns. */
class FakeLoopMonitor implements LoopMonitor {
  samples: number[] = [];
  enabled = false;
  enable(): boolean {
    return (this.enabled = true);
  }
  disable(): boolean {
    this.enabled = false;
    return true;
  }
  percentile(p: number): number {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.ceil((p / 100) * sorted.length) - 1] : 0;
  }
  get max(): number {
    return Math.max(0, ...this.samples);
  }
  reset(): void {
    this.samples = [];
  }
}

describe('event-loop delay metric', () => {
  let monitor: FakeLoopMonitor;
  let resolution: number;
  let m: Metrics;
  const delay = async (stat: string) => parseExposition((await m.scrape()).body).value('dozvon_event_loop_delay_seconds', { stat });
  const stats = async () => {
    const e = parseExposition((await m.scrape()).body);
    return ['p50', 'p99', 'max'].map((stat) => e.value('dozvon_event_loop_delay_seconds', { stat }));
  };

  beforeEach(() => {
    monitor = new FakeLoopMonitor();
    m = new Metrics({ eventLoopResolutionMs: 10, eventLoopMonitor: (ms) => ((resolution = ms), monitor) });
  });
  afterEach(() => m.stop());

  it('samples at the configured resolution while the app runs, and stops with it', () => {
    expect(resolution).to.equal(10);
    expect(monitor.enabled).to.equal(true);
    m.stop();
    expect(monitor.enabled).to.equal(false);
  });

  it('reports the delay beyond the sampling interval: 0 when idle, the stall when blocked', async () => {
    monitor.samples = Array(30).fill(10 * MS);
    expect(await stats()).to.deep.equal([0, 0, 0]);
    // A 120 ms stall among 99 idle samples, the kind that makes Asterisk drop a WebSocket reader.
    monitor.samples = [...Array(99).fill(10 * MS), 130 * MS];
    expect(await stats()).to.deep.equal([0, 0, 0.12]);
    monitor.samples = [...Array(50).fill(12 * MS), ...Array(50).fill(30 * MS)];
    expect(await stats()).to.deep.equal([0.002, 0.02, 0.02]);
  });

  it('counts each window once: a scrape starts a fresh window', async () => {
    monitor.samples = [10 * MS, 250 * MS];
    expect(await delay('max')).to.equal(0.24);
    expect(await delay('max')).to.equal(0);
  });
});
