/** Building blocks for the status page (and the console): times, periods, tables, badges, all through the web kit. */
import { html, type Html } from '../web/html';

/** "2026-11-21 16:22:07 UTC": one unambiguous zone for everyone reading the page. */
export function utc(t: number | null): string {
  if (t === null || !Number.isFinite(t)) return '—';
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "in 30 s" for future times. */
export function relative(t: number | null, now: number): string {
  if (t === null || !Number.isFinite(t)) return '—';
  const d = Math.round((now - t) / 1000);
  const abs = Math.abs(d);
  const span =
    abs < 5
      ? null
      : abs < 60
        ? `${abs} s`
        : abs < 3600
          ? `${Math.floor(abs / 60)} min`
          : abs < 86400
            ? `${Math.floor(abs / 3600)} h`
            : `${Math.floor(abs / 86400)} d`;
  if (span === null) return 'just now';
  return d >= 0 ? `${span} ago` : `in ${span}`;
}

/** A time cell: relative text, exact UTC time on hover. */
export function timeCell(t: number | null, now: number): Html {
  if (t === null) return html`<td>—</td>`;
  return html`<td><time datetime="${new Date(t).toISOString()}" title="${utc(t)}">${relative(t, now)}</time></td>`;
}

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A period for people: "90 s", "3 min", "24 h", "2 d"; the largest unit that divides it evenly. */
export function period(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds >= 86400 && seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function truncate(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** A table with a header row; each row is its `<td>` cells. Empty → a muted line. */
export function table(cls: string, headers: string[], rows: Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  const head = headers.map((h) => html`<th scope="col">${h}</th>`);
  return html`<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>${rows.map((r) => html`<tr>${r}</tr>`)}</tbody></table>`;
}

/** A state word as a coloured badge; the class is picked from a fixed list, never from the data. */
export function badge(state: string | null): Html {
  const s = state ?? '—';
  const tone = BAD.has(s) ? 'bad' : WARN.has(s) ? 'warn' : GOOD.has(s) ? 'good' : 'neutral';
  return html`<span class="badge ${tone}">${s}</span>`;
}

const GOOD = new Set(['up', 'ok', 'delivered', 'answered', 'acknowledged', 'resolved']);
const WARN = new Set(['degraded', 'pending', 'active', 'late', 'new', 'paused', 'busy', 'no-answer', 'voicemail', 'ringing']);
const BAD = new Set(['down', 'failed', 'rejected', 'congestion', 'unreachable', 'error']);
