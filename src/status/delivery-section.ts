/** The status page's delivery figures: acknowledged within 1/5/15 min per channel and trunk, per window. */
import { byRow, median, percent, type Figures, type FigureRow } from '../delivery';
import { html, type Html } from '../web/html';
import { table } from './html';

const WINDOW_TITLE: Record<string, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d' };

function shares(r: FigureRow | null): Html {
  if (!r || r.share.pages === 0) return html`<td>—</td>`;
  const s = r.share;
  return html`<td><b>${percent(s, '5m')}</b> <small>(${percent(s, '1m')} · ${percent(s, '15m')}) of ${s.pages}</small></td>`;
}

function seconds(v: number | null): string {
  if (v === null) return '—';
  if (v === Infinity) return 'longer than the last bucket';
  return v < 60 ? `≤ ${v} s` : `≤ ${v / 60} min`;
}

export function deliverySection(all: readonly Figures[] | undefined): Html {
  const figures = all ?? [];
  const rows = byRow(figures).map(({ key, windows }) => {
    const day = windows[0] ?? key;
    const trunk = key.trunk === undefined ? 'all' : (key.trunk ?? 'unknown');
    return html`<td>${key.channel}</td><td>${trunk}</td>${windows.map(shares)}<td>${seconds(median(day.ring))}</td><td>${seconds(median(day.ack))}</td>`;
  });
  const heads = [
    'channel',
    'trunk',
    ...figures.map((f) => `${WINDOW_TITLE[f.window]}: ≤ 5 min (≤ 1 · ≤ 15)`),
    'first ring, median',
    'ack, median',
  ];
  return html`<section id="delivery"><h2>Delivery <span class="count">(acknowledged within 5 minutes; pages younger than 15 minutes are not judged yet)</span></h2>${table('delivery', heads, rows, 'No pages in the last 30 days.')}</section>`;
}
