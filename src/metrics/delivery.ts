/**
 * The delivery metrics (docs/prometheus/dozvon-rules.yml reads them). Histograms are observed
 * when the event happens; the SLO counters count each page once, 15 minutes after it arrived,
 * so `dozvon_pages_acked_total{within="5m"}` is always a part of `dozvon_pages_total` counted
 * at the same moment and their ratio is exact.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { LabelGuard } from './labels';

const DELIVERY_CHANNELS = ['voice', 'sms', 'push'] as const;
const WITHIN: readonly [string, number][] = [
  ['1m', 60],
  ['5m', 300],
  ['15m', 900],
];
/** The same bounds as the console's figures (src/delivery/figures.ts), so both tell one story. */
export const RING_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 120, 300, 900];
export const ACK_BUCKETS = [15, 30, 60, 120, 180, 300, 600, 900, 1800, 3600];

type Labels = 'channel' | 'trunk';

export class DeliveryMetrics {
  private readonly ring: Histogram<Labels>;
  private readonly ack: Histogram<Labels>;
  private readonly pages: Counter<Labels>;
  private readonly acked: Counter<Labels | 'within'>;

  constructor(
    registers: Registry[],
    private readonly guard: LabelGuard,
  ) {
    this.ring = new Histogram({
      name: 'dozvon_time_to_first_ring_seconds',
      help: "Time from a page's arrival to its first call ringing (voice) or its first text accepted by a gateway; observed within a sweep of the attempt being recorded.",
      labelNames: ['channel', 'trunk'],
      buckets: RING_BUCKETS,
      registers,
    });
    this.ack = new Histogram({
      name: 'dozvon_time_to_ack_seconds',
      help: "Time from a page's arrival to its acknowledgement (digit, link, or OnCall), observed when acknowledged.",
      labelNames: ['channel', 'trunk'],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.pages = new Counter({
      name: 'dozvon_pages_total',
      help: 'Pages counted for the delivery SLO, each once, 15 minutes after it arrived; trunk: of its last call.',
      labelNames: ['channel', 'trunk'],
      registers,
    });
    this.acked = new Counter({
      name: 'dozvon_pages_acked_total',
      help: 'Of dozvon_pages_total, the pages acknowledged within 1, 5 and 15 minutes (cumulative: 5m includes 1m).',
      labelNames: ['channel', 'trunk', 'within'],
      registers,
    });
    // Every channel's series exist from the start: a ratio over a channel that never had an
    // acknowledgement must read 0, not vanish (and hide its alert).
    for (const channel of DELIVERY_CHANNELS) {
      const trunk = channel === 'voice' ? 'unknown' : '';
      this.pages.inc({ channel, trunk }, 0);
      for (const [within] of WITHIN) this.acked.inc({ channel, trunk, within }, 0);
    }
  }

  firstRing(channel: string, trunk: string | null, seconds: number): void {
    this.ring.observe(this.labels(channel, trunk), seconds);
  }

  acknowledged(channel: string, trunk: string | null, seconds: number): void {
    this.ack.observe(this.labels(channel, trunk), seconds);
  }

  counted(channel: string, trunk: string | null, ackedAfterSeconds: number | null): void {
    const labels = this.labels(channel, trunk);
    this.pages.inc(labels);
    for (const [within, limit] of WITHIN) {
      const hit = ackedAfterSeconds !== null && ackedAfterSeconds <= limit;
      this.acked.inc({ ...labels, within }, hit ? 1 : 0);
    }
  }

  /** Texts have no trunk (empty label); a call whose trunk is not known says so. */
  private labels(channel: string, trunk: string | null): Record<Labels, string> {
    const ch = this.guard.value('delivery.channel', channel);
    return { channel: ch, trunk: ch === 'voice' ? this.guard.value('delivery.trunk', trunk ?? 'unknown') : '' };
  }
}
