import { expect } from 'chai';
import type { StatusSource } from '../../../src/status';
import { allWindows, type PageRow } from '../../../src/delivery';
import { NOW, TOKEN, startStatus, StatusHarness } from './harness';

const MIN = 60_000;
const voice = (ago: number, ackAfterMin: number | null, trunk: string | null): PageRow => ({
  channel: 'voice',
  trunk,
  receivedAt: NOW - ago * MIN,
  firstRingAt: NOW - ago * MIN + 6_000,
  ackedAt: ackAfterMin === null ? null : NOW - ago * MIN + ackAfterMin * MIN,
});

describe('status page: delivery figures', () => {
  let h: StatusHarness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const page = async (source: Partial<StatusSource>) => {
    h = await startStatus({
      source: {
        activePages: async () => [],
        recentAttempts: async () => [],
        heartbeats: async () => [],
        health: async () => [],
        queueDepth: async () => ({}),
        ...source,
      },
    });
    const res = await fetch(`${h.url}/`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(5000) });
    expect(res.status).to.equal(200);
    return res.text();
  };

  it('shows the share acknowledged within 5 minutes per channel and trunk, for 24 h, 7 d and 30 d', async () => {
    const rows = [voice(60, 2, 'carrier-a'), voice(60, null, 'carrier-a'), voice(3 * 24 * 60, 0.5, null)];
    const text = await page({ delivery: async (now) => allWindows(rows, now) });
    const section = /<section id="delivery">([\s\S]*?)<\/section>/.exec(text)![1];
    expect(section).to.include('24 h: ≤ 5 min');
    expect(section).to.include('30 d: ≤ 5 min');
    const trunkRow = /<tr><td>voice<\/td><td>carrier-a<\/td>(.*?)<\/tr>/.exec(section)![1];
    expect(trunkRow).to.include('<b>50.0 %</b> <small>(0.0 % · 50.0 %) of 2</small>');
    const unknown = /<tr><td>voice<\/td><td>unknown<\/td>(.*?)<\/tr>/.exec(section)![1];
    expect(unknown.startsWith('<td>—</td>'), 'no pages of that trunk today').to.equal(true);
    expect(unknown).to.include('<b>100 %</b> <small>(100 % · 100 %) of 1</small>');
  });

  it('a failing figures query is reported, the rest of the page still renders', async () => {
    const text = await page({
      delivery: async () => {
        throw new Error('figures unavailable');
      },
    });
    expect(text).to.include('delivery: figures unavailable');
    expect(text).to.include('No pages in the last 30 days.');
  });
});
