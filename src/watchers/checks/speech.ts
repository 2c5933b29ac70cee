/**
 * The speech self-check walks the path a call's speech takes: the engines render a short text,
 * and the media URL Asterisk would be given is fetched the way its HTTP media cache fetches it
 * (GET, no redirects) and must answer 200 with audio Asterisk can play. Engine health alone
 * said "ok" while every /media answer was a 500 and no engineer heard a summary.
 */
import { errorMessage } from '../../core/errors';
import { parseWav } from '../../tts/audio/wav';
import type { TtsSystem } from '../../tts/index';
import { Check, CheckResult, checkFrom, degraded } from './check';
import { describeNetError } from '../../core/net-hint';

const CHECK_TEXT = 'dozvon speech check';
const FETCH_TIMEOUT_MS = 5000;

export function speechCheck(tts: Pick<TtsSystem, 'health' | 'render'>): Check {
  return checkFrom('speech', async (signal) => {
    const h = await tts.health(signal);
    const engines = h.engines.map((e) => `${e.engine}: ${e.ok ? 'ok' : (e.detail ?? 'failing')}`).join('; ');
    const path = await deliveryProbe(tts, signal);
    const detail = `${engines}; ${path.detail}`;
    if (!path.ok) return { ok: false, detail };
    if (h.ok) return { ok: true, detail };
    // The first engine fails but a fallback rendered the speech and Asterisk can fetch it:
    // engineers still hear their summaries, in the fallback's voice. Worth a look, not a page.
    const carrier = h.engines.slice(1).find((e) => e.ok);
    if (carrier) return degraded(`${detail}; ${carrier.engine} carries the load`);
    return { ok: false, detail };
  });
}

async function deliveryProbe(tts: Pick<TtsSystem, 'render'>, signal: AbortSignal): Promise<CheckResult> {
  let speech;
  try {
    speech = await tts.render(CHECK_TEXT, 'en', signal);
  } catch (e) {
    return { ok: false, detail: `cannot render speech: ${errorMessage(e)}` };
  }
  try {
    const uri = speech.media.find((m) => /^sound:https?:\/\//.test(m));
    if (!uri)
      return {
        ok: true,
        detail:
          speech.engine === 'none' ? 'prompts only: no rendered media to serve' : 'media delivered as files (DOZVON_TTS_DELIVERY=dir)',
      };
    return await fetchPlayable(uri.slice('sound:'.length), signal);
  } finally {
    speech.release?.();
  }
}

/** What Asterisk would get for this URL; the detail names the host, never the media name. */
export async function fetchPlayable(url: string, signal: AbortSignal): Promise<CheckResult> {
  const where = `${new URL(url).origin}/media/…`;
  let r: Response;
  try {
    r = await fetch(url, { redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) });
  } catch (e) {
    return {
      ok: false,
      detail: `media URL ${where} unreachable (${describeNetError(e)}): Asterisk cannot fetch speech; check DOZVON_PUBLIC_URL`,
    };
  }
  if (r.status !== 200) {
    await r.body?.cancel().catch(() => undefined);
    return { ok: false, detail: `media URL ${where} answered ${r.status}: Asterisk cannot play speech` };
  }
  const body = Buffer.from(await r.arrayBuffer());
  if (url.endsWith('.sln16'))
    return body.length >= 320 && body.length % 2 === 0
      ? { ok: true, detail: `media URL ${where} serves playable audio` }
      : { ok: false, detail: `media URL ${where} served ${body.length} bytes, not signed-linear audio` };
  try {
    const w = parseWav(body);
    if (w.channels !== 1 || ![8000, 16000].includes(w.sampleRate))
      return { ok: false, detail: `media URL ${where} serves ${w.sampleRate} Hz ${w.channels}-channel WAV; Asterisk plays 8/16 kHz mono` };
    return { ok: true, detail: `media URL ${where} serves playable audio (${(w.samples.length / w.sampleRate).toFixed(1)} s)` };
  } catch (e) {
    return { ok: false, detail: `media URL ${where} served something Asterisk cannot play: ${errorMessage(e)}` };
  }
}
