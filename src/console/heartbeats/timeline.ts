/**
 * A heartbeat's history drawn twice: a strip over the last periods (state as coloured spans,
 * pings as ticks, failures as red ticks; inline SVG, no script) with a sentence that says the
 * same in words, and the ordered list of events, newest first.
 */
import type { Heartbeat, HeartbeatEvent, HeartbeatState } from '../../watchers/heartbeats';
import { HEARTBEAT_STATES } from '../../watchers/heartbeats';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { when } from '../ui';
import { spanText } from './view';
import { html, userText, type Html } from '../../web/html';

/** How many periods the strip covers. */
export const STRIP_PERIODS = 24;
/** Events read for the strip: enough for a ping per period with room for failures and notes. */
export const STRIP_EVENTS = 500;
/** Events listed below the strip. */
export const LIST_EVENTS = 50;

const W = 1000;
const H = 36;

export interface StateChange {
  from: HeartbeatState;
  to: HeartbeatState;
  why: string;
}

/** The machine writes state rows as "<from> → <to>: <why>" (machine.ts stateRecord). */
export function parseStateChange(detail: string | null): StateChange | null {
  const m = /^(\w+) → (\w+)(?:: ([\s\S]*))?$/.exec(detail ?? '');
  if (!m || !isState(m[1]) || !isState(m[2])) return null;
  return { from: m[1], to: m[2], why: m[3] ?? '' };
}

function isState(s: string): s is HeartbeatState {
  return (HEARTBEAT_STATES as readonly string[]).includes(s);
}

export interface Segment {
  from: number;
  to: number;
  state: HeartbeatState;
}

export interface StripData {
  start: number;
  end: number;
  segments: Segment[];
  pings: number[];
  fails: number[];
  /** True when the events read do not reach back to the start: the strip begins at the oldest one read. */
  partial: boolean;
}

/** The strip's content from the heartbeat and its events (any order), ending at `now`. */
export function stripData(hb: Heartbeat, events: readonly HeartbeatEvent[], now: number, readLimit = STRIP_EVENTS): StripData {
  const asc = [...events].sort((a, b) => a.at - b.at);
  let start = Math.max(now - STRIP_PERIODS * hb.periodS * 1000, hb.createdAt);
  const partial = events.length >= readLimit && asc.length > 0 && asc[0].at > start;
  if (partial) start = asc[0].at;
  const changes = asc.flatMap((e) => {
    const c = e.event === 'state' ? parseStateChange(e.detail) : null;
    return c ? [{ at: e.at, ...c }] : [];
  });
  // The state at the start: where the last change before it went, else where the first one after it came from.
  const before = changes.filter((c) => c.at <= start).pop();
  let state: HeartbeatState = before ? before.to : (changes[0]?.from ?? hb.state);
  const segments: Segment[] = [];
  let from = start;
  for (const c of changes) {
    if (c.at <= start || c.at > now) continue;
    if (c.at > from) segments.push({ from, to: c.at, state });
    state = c.to;
    from = c.at;
  }
  if (now > from) segments.push({ from, to: now, state });
  const inWindow = (e: HeartbeatEvent) => e.at >= start && e.at <= now;
  return {
    start,
    end: now,
    segments,
    pings: asc.filter((e) => e.event === 'ping' && inWindow(e)).map((e) => e.at),
    fails: asc.filter((e) => e.event === 'fail' && inWindow(e)).map((e) => e.at),
    partial,
  };
}

/** The strip and its text alternative. */
export function strip(ctx: ConsoleContext, t: Translate, d: StripData): Html {
  const span = Math.max(1, d.end - d.start);
  const x = (at: number) => (((at - d.start) / span) * W).toFixed(1);
  const w = (s: Segment) => Math.max(0.5, ((s.to - s.from) / span) * W).toFixed(1);
  const rects = d.segments.map(
    (s) =>
      html`<rect class="${s.state}" x="${x(s.from)}" y="8" width="${w(s)}" height="${H - 16}"><title>${t(`state.${s.state}`)}</title></rect>`,
  );
  const tick = (at: number, cls: string) =>
    html`<line class="${cls}" x1="${x(at)}" x2="${x(at)}" y1="${cls === 'fail' ? 0 : 4}" y2="${cls === 'fail' ? H : H - 4}" vector-effect="non-scaling-stroke"/>`;
  const ticks = [...d.pings.map((at) => tick(at, 'ping')), ...d.fails.map((at) => tick(at, 'fail'))];
  const svg = html`<svg class="hb-strip" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" aria-hidden="true" focusable="false">${rects}${ticks}</svg>`;
  const axis = html`<div class="hb-axis"><span>${when(ctx, d.start)}</span><span>${t('strip.now')}</span></div>`;
  const legend = ['up', 'late', 'down', 'paused']
    .map((s) => html`<span><i class="sw ${s}"></i>${t.dynamic(`state.${s}`) ?? s}</span>`)
    .concat(
      html`<span><i class="sw tick"></i>${t('strip.ping')}</span>`,
      html`<span><i class="sw tick fail"></i>${t('strip.fail')}</span>`,
    );
  return html`<figure class="hb-figure" id="strip">${svg}${axis}<figcaption id="strip-text">${summary(t, d)}</figcaption><div class="hb-legend" aria-hidden="true">${legend}</div></figure>`;
}

/** The strip in one sentence: how long it covers, how many pings, how often and how long down. */
export function summary(t: Translate, d: StripData): string {
  const downs = d.segments.filter((s) => s.state === 'down');
  const downMs = downs.reduce((sum, s) => sum + (s.to - s.from), 0);
  const parts = [
    t(d.partial ? 'strip.coversPartial' : 'strip.covers', { span: spanText(t, d.end - d.start) }),
    t('strip.pings', { n: d.pings.length }),
  ];
  parts.push(downs.length ? t('strip.down', { n: downs.length, span: spanText(t, downMs) }) : t('strip.neverDown'));
  if (d.fails.length) parts.push(t('strip.fails', { n: d.fails.length }));
  return `${parts.join('; ')}.`;
}

/** The events as an ordered list, newest first. */
export function eventList(ctx: ConsoleContext, t: Translate, events: readonly HeartbeatEvent[]): Html {
  if (events.length === 0) return html`<p class="empty">${t('history.none')}</p>`;
  const items = [...events]
    .sort((a, b) => b.at - a.at)
    .map((e) => {
      const { tone, text } = describe(t, e);
      return html`<li${tone ? html` class="${tone}"` : null}>${when(ctx, e.at)} ${text}</li>`;
    });
  return html`<ol class="timeline hb-history">${items}</ol>`;
}

function describe(t: Translate, e: HeartbeatEvent): { tone: '' | 'good' | 'bad' | 'warn'; text: Html } {
  const detail = e.detail ? html` <span class="muted">${userText(e.detail)}</span>` : null;
  if (e.event === 'state') {
    const c = parseStateChange(e.detail);
    if (!c) return { tone: 'warn', text: html`<strong>${t('event.note')}</strong>${detail}` };
    const tone = c.to === 'down' ? 'bad' : c.to === 'up' ? 'good' : c.to === 'late' ? 'warn' : '';
    const why = c.why ? html` <span class="muted">${userText(c.why)}</span>` : null;
    return { tone, text: html`<strong>${t('event.state', { from: t(`state.${c.from}`), to: t(`state.${c.to}`) })}</strong>${why}` };
  }
  if (e.event === 'ping') return { tone: 'good', text: html`<strong>${t('event.ping')}</strong>${detail}` };
  if (e.event === 'fail') return { tone: 'bad', text: html`<strong>${t('event.fail')}</strong>${detail}` };
  return { tone: '', text: html`<strong>${t(e.event === 'start' ? 'event.start' : 'event.log')}</strong>${detail}` };
}
