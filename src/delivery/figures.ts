/**
 * Delivery figures as pure functions over page rows: the share of pages acknowledged within 1,
 * 5 and 15 minutes, and how long the first ring and the acknowledgement took, per channel and
 * per trunk. The repo reads the rows; the status page, the console and the tests call these.
 */

/** A page as the figures see it: its channel, the trunk of its last call, and three times. */
export interface PageRow {
  channel: Channel;
  /** Voice only: the trunk of the page's last call; null when it was never dialled or before trunks had names. */
  trunk: string | null;
  receivedAt: number;
  /** First ring of a call, or the gateway accepting a text. */
  firstRingAt: number | null;
  ackedAt: number | null;
}

export const CHANNELS = ['voice', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The queue's kinds that page a person, and the channel each is counted under. */
export const CHANNEL_OF_KIND: Record<string, Channel> = { call: 'voice', sms: 'sms', push: 'push' };

export const WITHIN = { '1m': 60_000, '5m': 5 * 60_000, '15m': 15 * 60_000 } as const;
export type Within = keyof typeof WITHIN;
/** A page's share is decided 15 minutes after it arrived: younger pages are not counted yet. */
export const SETTLE_MS = WITHIN['15m'];

export const WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Window = keyof typeof WINDOWS;

/** Histogram bounds in seconds, shared with /metrics so the console and Prometheus agree. */
export const RING_BUCKETS_S = [5, 10, 15, 20, 30, 45, 60, 120, 300, 900] as const;
export const ACK_BUCKETS_S = [15, 30, 60, 120, 180, 300, 600, 900, 1800, 3600] as const;

export interface Histogram {
  /** Upper bounds in seconds; counts[i] is how many fell at or under bounds[i] and over the previous; the last count is over the top. */
  bounds: readonly number[];
  counts: number[];
  total: number;
}

export interface Share {
  /** Pages old enough to be judged (received at least 15 minutes before now). */
  pages: number;
  acked: Record<Within, number>;
}

export interface FigureRow {
  channel: Channel;
  /** undefined: every trunk of the channel together; null: calls whose trunk is not known. */
  trunk?: string | null;
  share: Share;
  ring: Histogram;
  ack: Histogram;
}

export interface Figures {
  window: Window;
  now: number;
  rows: FigureRow[];
}

export function histogram(bounds: readonly number[], values: readonly number[]): Histogram {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i === -1 ? bounds.length : i]++;
  }
  return { bounds, counts, total: values.length };
}

/** The share of pages acknowledged within each limit, over pages received before `now - 15 min`. */
export function share(rows: readonly PageRow[], now: number): Share {
  const judged = rows.filter((r) => r.receivedAt <= now - SETTLE_MS);
  const acked = {} as Record<Within, number>;
  for (const [k, ms] of Object.entries(WITHIN) as [Within, number][])
    acked[k] = judged.filter((r) => r.ackedAt !== null && r.ackedAt - r.receivedAt <= ms).length;
  return { pages: judged.length, acked };
}

function figureRow(channel: Channel, trunk: string | null | undefined, rows: readonly PageRow[], now: number): FigureRow {
  const secs = (at: (r: PageRow) => number | null) =>
    rows.flatMap((r) => {
      const t = at(r);
      return t === null ? [] : [Math.max(0, (t - r.receivedAt) / 1000)];
    });
  return {
    channel,
    ...(trunk === undefined ? {} : { trunk }),
    share: share(rows, now),
    ring: histogram(
      RING_BUCKETS_S,
      secs((r) => r.firstRingAt),
    ),
    ack: histogram(
      ACK_BUCKETS_S,
      secs((r) => r.ackedAt),
    ),
  };
}

/**
 * One row per channel that had pages in the window, then one per trunk of the voice channel
 * (unknown trunk last). `rows` must already be the window's pages.
 */
export function computeFigures(rows: readonly PageRow[], window: Window, now: number): Figures {
  const out: FigureRow[] = [];
  for (const channel of CHANNELS) {
    const mine = rows.filter((r) => r.channel === channel);
    if (mine.length === 0) continue;
    out.push(figureRow(channel, undefined, mine, now));
    if (channel !== 'voice') continue;
    const trunks = [...new Set(mine.map((r) => r.trunk))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
    for (const trunk of trunks)
      out.push(
        figureRow(
          channel,
          trunk,
          mine.filter((r) => r.trunk === trunk),
          now,
        ),
      );
  }
  return { window, now, rows: out };
}

/** Acknowledged within `within` as a fraction of judged pages, or null when none could be judged. */
export function ratio(s: Share, within: Within): number | null {
  return s.pages === 0 ? null : s.acked[within] / s.pages;
}

/** The bucket bound under which half the values fall (an upper estimate), or null without values. */
export function median(h: Histogram): number | null {
  if (h.total === 0) return null;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i];
    if (seen * 2 >= h.total) return i < h.bounds.length ? h.bounds[i] : Infinity;
  }
  return Infinity;
}

/** The window figures of one key across windows: the rows of the widest window, each with its match in the others. */
export function byRow(all: readonly Figures[]): { key: FigureRow; windows: (FigureRow | null)[] }[] {
  const widest = all.reduce<Figures | null>((w, f) => (w === null || WINDOWS[f.window] > WINDOWS[w.window] ? f : w), null);
  if (!widest) return [];
  const same = (a: FigureRow, b: FigureRow) => a.channel === b.channel && a.trunk === b.trunk;
  return widest.rows.map((key) => ({ key, windows: all.map((f) => f.rows.find((r) => same(r, key)) ?? null) }));
}

/** "99.5 %" with one decimal below 100, "—" when nothing could be judged. */
export function percent(s: Share | undefined, within: Within): string {
  const r = s ? ratio(s, within) : null;
  if (r === null) return '—';
  return r === 1 ? '100 %' : `${(Math.floor(r * 1000) / 10).toFixed(1)} %`;
}

/** The figures of every window, from the pages of the widest. */
export function allWindows(rows: readonly PageRow[], now: number): Figures[] {
  return (Object.keys(WINDOWS) as Window[]).map((w) =>
    computeFigures(
      rows.filter((r) => r.receivedAt >= now - WINDOWS[w]),
      w,
      now,
    ),
  );
}
