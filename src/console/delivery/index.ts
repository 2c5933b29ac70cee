/**
 * /console/delivery: can we show that paging works? The acknowledged-within shares per channel
 * and trunk over 24 h, 7 d and 30 d, and the time to first ring and to acknowledgement.
 */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { dataTable, words } from '../ui';
import { TEXTS } from './texts';
import { sendHtml } from '../../web/send';
import { html, type Html } from '../../web/html';
import { allWindows, byRow, median, percent, WINDOWS, type FigureRow, type Histogram } from '../../delivery';

export function deliveryArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  r.get('/', async (_req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const now = deps.now();
    const figures = deps.delivery ? allWindows(await deps.delivery.pages(now - WINDOWS['30d'], now), now) : [];
    const cell = (f: FigureRow | null): Html =>
      !f || f.share.pages === 0
        ? html`—`
        : html`<b>${percent(f.share, '5m')}</b> <small class="muted">(${percent(f.share, '1m')} · ${percent(f.share, '15m')}) ${t('ofPages', { n: f.share.pages })}</small>`;
    const secs = (v: number | null): string =>
      v === null ? '—' : v === Infinity ? t('hist.over') : `≤ ${v < 60 ? t('unit.s', { n: v }) : t('unit.min', { n: v / 60 })}`;
    const lines = byRow(figures);
    const rows = lines.map(({ key, windows }) => {
      const day = windows[0];
      return [
        html`${key.channel}`,
        html`${key.trunk === undefined ? t('trunk.all') : (key.trunk ?? t('trunk.unknown'))}`,
        ...windows.map(cell),
        html`${secs(day ? median(day.ring) : null)}`,
        html`${secs(day ? median(day.ack) : null)}`,
      ];
    });
    const heads = [t('channel'), t('trunk'), ...figures.map((f) => t('window', { window: t(f.window) })), t('ring'), t('ack')];
    const day = figures[0]?.rows.filter((f) => f.trunk === undefined) ?? [];
    const span = (b: number) => (b < 60 ? t('unit.s', { n: b }) : t('unit.min', { n: b / 60 }));
    const histogram = (title: string, pick: (f: FigureRow) => Histogram) => {
      const heads = [t('channel'), ...pick(day[0]).bounds.map((b) => `≤ ${span(b)}`), t('hist.over')];
      return html`<h3>${title}</h3>${dataTable(
        heads,
        day.map((f) => [html`${f.channel}`, ...pick(f).counts.map((c) => html`${c}`)]),
        '',
      )}`;
    };
    const histograms = day.length
      ? html`<section class="card" id="histograms"><h2>${t('hist.title')}</h2>${histogram(t('ring'), (f) => f.ring)}${histogram(t('ack'), (f) => f.ack)}</section>`
      : null;
    const body = html`<section class="card" id="shares"><p>${t('intro')}</p>${dataTable(heads, rows, t('none'))}<p class="muted">${t('metrics')}</p></section>${histograms}`;
    sendHtml(res, 200, shell(ctx, { title: t('title'), section: 'delivery', body }));
  });
  return { path: '/delivery', router: r };
}
