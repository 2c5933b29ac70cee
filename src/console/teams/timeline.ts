/**
 * A schedule's next two weeks drawn with plain HTML and CSS: one row per rotation, one stripe per
 * stretch someone is on call, placed by percentage of the span; day marks in the schedule's zone.
 */
import { DateTime } from 'luxon';
import { html, userText, type Html } from '../../web/html';
import type { Schedule } from '../../teams/model';
import { timeline } from '../../teams/oncall';
import type { Words } from './texts';

export const SPAN_MS = 14 * 86_400_000;
const COLOURS = 6;

const pct = (x: number) => `${(Math.round(x * 10_000) / 100).toFixed(2)}%`;

export function scheduleTimeline(t: Words, s: Schedule, from: number, nameOf: (id: number) => string): Html {
  const to = from + SPAN_MS;
  const shifts = timeline(s, from, to);
  // Each person keeps one colour whatever the hour: by hand-off order, then whoever only overrides.
  // (By first stripe, whoever took over tonight changed colour at the start of their override.)
  const palette = new Map<number, number>();
  for (const id of [...s.rotations.flatMap((r) => r.participants), ...s.overrides.map((o) => o.userId)])
    if (!palette.has(id)) palette.set(id, palette.size % COLOURS);
  const colour = (id: number) => {
    if (!palette.has(id)) palette.set(id, palette.size % COLOURS);
    return palette.get(id)!;
  };
  const local = (ms: number) => DateTime.fromMillis(ms, { zone: s.timeZone });
  const days: Html[] = [];
  for (let d = local(from).startOf('day').plus({ days: 1 }); d.toMillis() < to; d = d.plus({ days: 1 })) {
    days.push(html`<span class="tl-day" style="left:${pct((d.toMillis() - from) / SPAN_MS)}">${d.toFormat('dd.LL')}</span>`);
  }
  const rows = s.rotations.map((r) => {
    const stripes = shifts
      .filter((x) => x.rotationId === r.id)
      .map((x) => {
        const who = nameOf(x.userId);
        const span = `${local(x.start).toFormat('dd.LL HH:mm')} – ${local(x.end).toFormat('dd.LL HH:mm')}`;
        return html`<span class="tl-shift c${colour(x.userId)}${x.override ? ' override' : ''}" style="left:${pct((x.start - from) / SPAN_MS)};width:${pct((x.end - x.start) / SPAN_MS)}" title="${who}: ${span}">${userText(who)}</span>`;
      });
    return html`<div class="tl-row"><span class="tl-label">${userText(r.name)}</span><div class="tl-track">${stripes}</div></div>`;
  });
  return html`<figure class="tl"><div class="tl-row tl-days"><span class="tl-label"></span><div class="tl-track">${days}</div></div>${rows}<figcaption class="muted">${t('timeline.caption')}</figcaption></figure>`;
}

export const TEAMS_CSS = `
.tl{margin:0 0 12px}
.tl-row{display:flex;align-items:center;gap:8px;margin:2px 0}
.tl-label{flex:0 0 9em;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tl-track{position:relative;flex:1;height:26px;background:#f2f4f7;border:1px solid var(--line);border-radius:4px;overflow:hidden}
.tl-days .tl-track{background:none;border:0;height:16px}
.tl-day{position:absolute;top:0;font-size:11px;color:var(--muted);border-left:1px solid var(--line);padding-left:2px}
.tl-shift{position:absolute;top:2px;bottom:2px;border-radius:3px;font-size:11px;line-height:22px;padding:0 3px;overflow:hidden;white-space:nowrap;color:#101828}
.tl-shift.c0{background:#b2ddff}.tl-shift.c1{background:#a6f4c5}.tl-shift.c2{background:#fedf89}
.tl-shift.c3{background:#fecdca}.tl-shift.c4{background:#d9d6fe}.tl-shift.c5{background:#99f6e0}
.tl-shift.override{background-image:repeating-linear-gradient(45deg,transparent 0 6px,rgba(16,24,40,.18) 6px 8px)}
.team-forms{display:flex;flex-wrap:wrap;gap:16px}
`;
