/**
 * The Listen button: what one call played, in order, as one WAV. planListen() names every item
 * and finds its file (cheap: a stat per file, for the page); renderListen() decodes, brings all
 * to one rate and joins them. Items the phone did not hear (a failed playback) are listed and
 * left out; Asterisk's own sounds become silence of about their length; files that are gone
 * (the speech cache was pruned) are listed as such. Nothing is ever fetched.
 */
import type { PlayedItem } from '../db/notifications-repo';
import { encodeWav, int16ToFloat } from '../tts/audio/wav';
import { Resampler } from '../tts/audio/resample';
import { readPcm, MonoPcm } from './decode';
import { resolveMedia, firstExisting, AudioFormat, ListenRoots, PlayedWhat } from './sources';

export type PartStatus =
  /** Its audio is in the WAV. */
  | 'ok'
  /** Silence was played and is in the WAV as such. */
  | 'silence'
  /** Asterisk played it from its own sounds; silence of about its length stands in. */
  | 'asterisk'
  /** Its file is no longer stored. */
  | 'missing'
  /** The playback failed on the call: not heard, left out. */
  | 'failed'
  /** Not ours or not understood: never fetched, left out. */
  | 'refused'
  /** The file is there but is not audio we can read. */
  | 'unreadable';

export interface ListenPart {
  uri: string;
  lang: string;
  /** Which playback it belonged to (a playback cut short is trimmed as a whole). */
  item: number;
  what: PlayedWhat;
  status: PartStatus;
  file?: { path: string; format: AudioFormat };
  /** Only its beginning was heard (a digit pressed over it, or the call ended). */
  cut?: boolean;
  /** Length of the silence in the WAV for `silence` and `asterisk` parts. */
  ms?: number;
  reason?: string;
}

export interface ListenPlan {
  parts: ListenPart[];
  /** Per playback index: how long it ran when it was cut short (a digit over it, a hang-up). */
  cuts: Map<number, number>;
  /** At least one part has real audio. */
  playable: boolean;
}

export interface ListenAudio {
  wav: Buffer;
  rate: 8000 | 16000;
  durationMs: number;
  parts: ListenPart[];
}

/** A call is capped at 5 minutes; this leaves room for replays without unbounded memory. */
export const MAX_LISTEN_MS = 20 * 60_000;

export async function planListen(played: readonly PlayedItem[] | null | undefined, roots: ListenRoots): Promise<ListenPlan> {
  const parts: ListenPart[] = [];
  const cuts = new Map<number, number>();
  let menuSeen = false;
  const summaries = new Set<string>();
  for (const [index, item] of wellFormed(played).entries()) {
    if (typeof item.cutAfterMs === 'number' && Number.isFinite(item.cutAfterMs) && item.cutAfterMs >= 0) cuts.set(index, item.cutAfterMs);
    for (const uri of item.media) {
      let r;
      try {
        r = resolveMedia(uri, item.lang, roots);
      } catch {
        r = { kind: 'refused' as const, what: { type: 'other' as const, uri }, reason: 'unsafe' as const };
      }
      const part: ListenPart = { uri, lang: item.lang, item: index, what: r.what, status: 'refused' };
      if (r.what.type === 'speech') {
        // The call says what it played; older records are read by position: the summary is what
        // played before the menu (and its replays), speech after the menu answers a digit.
        const role =
          item.speech === 'summary' || item.speech === 'reply' ? item.speech : !menuSeen || summaries.has(uri) ? 'summary' : 'reply';
        if (role === 'summary') summaries.add(uri);
        part.what = { type: 'speech', role };
      }
      if (r.what.type === 'prompt' && r.what.id === 'menu') menuSeen = true;
      if (item.failed) part.status = 'failed';
      else if (r.kind === 'refused') part.reason = r.reason;
      else if (r.kind === 'silence' || r.kind === 'asterisk') Object.assign(part, { status: r.kind, ms: r.ms });
      else {
        const found = await firstExisting(r.candidates);
        if (found) Object.assign(part, { status: 'ok', file: found });
        else part.status = 'missing';
      }
      parts.push(part);
    }
  }
  return { parts, cuts, playable: parts.some((p) => p.status === 'ok') };
}

/** Decodes and joins the plan's audio; null when no part has audio we could read. */
export async function renderListen(plan: ListenPlan): Promise<ListenAudio | null> {
  const parts = plan.parts.map((p) => ({ ...p }));
  const decoded = new Map<ListenPart, MonoPcm>();
  for (const p of parts) {
    if (p.status !== 'ok' || !p.file) continue;
    try {
      decoded.set(p, await readPcm(p.file.path, p.file.format));
    } catch (e) {
      p.status = 'unreadable';
      p.reason = (e as Error).message;
    }
  }
  if (decoded.size === 0) return null;
  const rate: 8000 | 16000 = [...decoded.values()].every((d) => d.rate === 16000) ? 16000 : 8000;
  const resampler = new Resampler();
  const chunks: Int16Array[] = [];
  let total = 0;
  const budget = Math.floor((MAX_LISTEN_MS / 1000) * rate);
  // What is left of each cut playback, in samples: the phone heard only its first part.
  const left = new Map([...plan.cuts].map(([i, ms]) => [i, Math.round((ms / 1000) * rate)]));
  for (const p of parts) {
    const pcm = decoded.get(p);
    let chunk: Int16Array | null = null;
    if (pcm) chunk = atRate(pcm, rate, resampler);
    else if ((p.status === 'silence' || p.status === 'asterisk') && p.ms) chunk = new Int16Array(Math.round((p.ms / 1000) * rate));
    if (!chunk) continue;
    const remaining = left.get(p.item);
    if (remaining !== undefined) {
      if (chunk.length > remaining) {
        chunk = chunk.subarray(0, remaining);
        p.cut = true;
      }
      left.set(p.item, remaining - chunk.length);
      if (chunk.length === 0) continue;
    }
    if (total + chunk.length > budget) chunk = chunk.subarray(0, Math.max(0, budget - total));
    chunks.push(chunk);
    total += chunk.length;
  }
  const samples = new Int16Array(total);
  let at = 0;
  for (const c of chunks) {
    samples.set(c, at);
    at += c.length;
  }
  return { wav: encodeWav(samples, rate), rate, durationMs: (total / rate) * 1000, parts };
}

function atRate(pcm: MonoPcm, rate: number, resampler: Resampler): Int16Array {
  if (pcm.rate === rate) return pcm.samples;
  const out = new Int16Array(Resampler.outputLength(pcm.samples.length, pcm.rate, rate));
  resampler.resampleInto(int16ToFloat(pcm.samples), pcm.rate, rate, out);
  return out;
}

/** The column is JSON written by us, but read defensively: a bad row shows as nothing, not a 500. */
function wellFormed(played: readonly PlayedItem[] | null | undefined): PlayedItem[] {
  if (!Array.isArray(played)) return [];
  return played.filter(
    (p): p is PlayedItem =>
      !!p && Array.isArray(p.media) && (p.media as unknown[]).every((m) => typeof m === 'string') && typeof p.lang === 'string',
  );
}
