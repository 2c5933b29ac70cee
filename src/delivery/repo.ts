/**
 * The delivery queries: the window of pages behind the figures, and the three once-only marks
 * behind /metrics (acknowledged, first ring, counted). Each mark is a conditional update of
 * one row, so of several instances exactly one observes a page's event.
 */
import type { Db } from '../db/knex';
import { CHANNEL_OF_KIND, SETTLE_MS, type Channel, type PageRow } from './figures';

const PAGE_KINDS = Object.keys(CHANNEL_OF_KIND);
const DAY = 86_400_000;
/** A sweep marks at most this many pages; the next one takes the rest. */
const BATCH = 500;

const LAST_TRUNK =
  "(select a.trunk from attempts a where a.notification_id = notifications.id and a.channel = 'voice' order by a.id desc limit 1)";
const RING_TRUNK =
  "(select a.trunk from attempts a where a.notification_id = notifications.id and a.channel = 'voice' and a.ringing_at is not null order by a.ringing_at limit 1)";
/** A call's first ring, or a text's first acceptance by a gateway. */
const FIRST_RING =
  "(select min(case when a.channel = 'voice' then a.ringing_at when a.outcome = 'sent' then a.ended_at end) from attempts a where a.notification_id = notifications.id)";

export type AckVia = 'digit' | 'link' | 'oncall';

/** A page whose event was just marked: what its metric needs. */
export interface MarkedPage {
  id: number;
  channel: Channel;
  trunk: string | null;
  receivedAt: number;
  /** The event's time: the ack, the first ring, or for a counted page its ack (null: not acknowledged). */
  at: number | null;
}

type Raw = { id: number; kind: string; received_at: number | string; trunk: string | null; t: number | string | null };
const n = (v: number | string | null): number | null => (v === null ? null : Number(v));

export class DeliveryRepo {
  constructor(private readonly db: Db) {}

  /** The pages received in [since, until) that page a person; cancelled ones only when acknowledged (settled in OnCall). */
  async pages(since: number, until: number): Promise<PageRow[]> {
    const rows = (await this.db('notifications')
      .whereIn('kind', PAGE_KINDS)
      .andWhere('received_at', '>=', since)
      .andWhere('received_at', '<', until)
      .andWhere((b) => b.whereNot('state', 'cancelled').orWhereNotNull('acked_at'))
      .select('kind', 'received_at', 'acked_at', this.db.raw(`${FIRST_RING} as ring`), this.db.raw(`${LAST_TRUNK} as trunk`))) as {
      kind: string;
      received_at: number | string;
      acked_at: number | string | null;
      ring: number | string | null;
      trunk: string | null;
    }[];
    return rows.map((r) => ({
      channel: CHANNEL_OF_KIND[r.kind],
      trunk: r.kind === 'call' ? r.trunk : null,
      receivedAt: Number(r.received_at),
      firstRingAt: n(r.ring),
      ackedAt: n(r.acked_at),
    }));
  }

  /**
   * A page was acknowledged at `at`. So was every page about the same alert group received
   * within the day before: the incident reached a person, whichever of its pages did it.
   */
  async markAcked(notificationId: number, via: AckVia, at: number): Promise<MarkedPage[]> {
    const page = (await this.db('notifications').where({ id: notificationId }).first('alert_group_id')) as
      { alert_group_id: string | null } | undefined;
    if (!page) return [];
    const group = page.alert_group_id;
    const rows = (await this.db('notifications')
      .whereIn('kind', PAGE_KINDS)
      .whereNull('acked_at')
      .andWhere('received_at', '<=', at)
      .andWhere((b) => {
        b.where('id', notificationId);
        if (group) b.orWhere((g) => g.where('alert_group_id', group).andWhere('received_at', '>=', at - DAY));
      })
      .select('id', 'kind', 'received_at', this.db.raw(`${LAST_TRUNK} as trunk`))) as Raw[];
    return this.mark(
      rows.map((r) => ({ ...r, t: at })),
      'acked_at',
      () => ({ acked_at: at, acked_via: via }),
    );
  }

  /** Pages of the last day that rang (or were sent) and whose first ring is not in /metrics yet. */
  async markFirstRings(now: number): Promise<MarkedPage[]> {
    const rows = (await this.db('notifications')
      .whereIn('kind', PAGE_KINDS)
      .whereNull('first_ring_at')
      .andWhere('received_at', '>=', now - DAY)
      .whereRaw(`${FIRST_RING} is not null`)
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'kind', 'received_at', this.db.raw(`${RING_TRUNK} as trunk`), this.db.raw(`${FIRST_RING} as t`))) as Raw[];
    return this.mark(rows, 'first_ring_at', (r) => ({ first_ring_at: Number(r.t) }));
  }

  /**
   * Pages received at least 15 minutes ago and not counted yet. Every such row is marked; only
   * pages of a person that were not cancelled unacknowledged are returned to be counted.
   */
  async markCounted(now: number): Promise<MarkedPage[]> {
    const rows = (await this.db('notifications')
      .whereNull('counted_at')
      .andWhere('received_at', '<', now - SETTLE_MS)
      .orderBy('received_at')
      .limit(BATCH)
      .select('id', 'kind', 'state', 'received_at', 'acked_at as t', this.db.raw(`${LAST_TRUNK} as trunk`))) as (Raw & {
      state: string;
    })[];
    const marked = await this.mark(rows, 'counted_at', () => ({ counted_at: now }));
    const counts = new Set(rows.filter((r) => PAGE_KINDS.includes(r.kind) && (r.state !== 'cancelled' || r.t !== null)).map((r) => r.id));
    return marked.filter((m) => counts.has(m.id));
  }

  private async mark(rows: Raw[], column: string, set: (r: Raw) => Record<string, unknown>): Promise<MarkedPage[]> {
    const out: MarkedPage[] = [];
    for (const r of rows) {
      const done = await this.db('notifications').where('id', r.id).whereNull(column).update(set(r));
      if (done === 0) continue; // another instance marked it first
      out.push({
        id: r.id,
        channel: CHANNEL_OF_KIND[r.kind] ?? 'voice',
        trunk: r.kind === 'call' ? r.trunk : null,
        receivedAt: Number(r.received_at),
        at: n(r.t),
      });
    }
    return out;
  }
}
