import { expect } from 'chai';
import { Metrics } from '../../src/metrics';
import { parseExposition } from '../integration/metrics/exposition';

describe('event-loop delay metric', () => {
  it('reports the delay beyond the sampling interval: ~0 when idle, the stall when blocked', async () => {
    const m = new Metrics({ eventLoopResolutionMs: 10 });
    try {
      await m.scrape(); // start a fresh window
      await new Promise((r) => setTimeout(r, 300));
      const idle = parseExposition((await m.scrape()).body);
      expect(idle.value('dozvon_event_loop_delay_seconds', { stat: 'p50' })).to.be.below(0.005);
      await new Promise((r) => setTimeout(r, 50));
      const until = Date.now() + 120;
      while (Date.now() < until); // a 120 ms stall, the kind that makes Asterisk drop a WebSocket reader
      await new Promise((r) => setTimeout(r, 50));
      const blocked = parseExposition((await m.scrape()).body);
      expect(blocked.value('dozvon_event_loop_delay_seconds', { stat: 'max' })).to.be.within(0.09, 0.5);
    } finally {
      m.stop();
    }
  });
});
