/**
 * `sound:http(s)://…` the way Asterisk's HTTP media cache gets it (dialplan/http_media_cache.conf):
 * one GET with a total timeout, redirects not followed, a non-200 answer is a failure, and the
 * body must then open as audio under the URL's extension. Every fetch is recorded so a test can
 * say "Asterisk fetched the speech" (or why it could not).
 */
import http from 'node:http';
import https from 'node:https';
import { checkAudio, extensionOf, isKnownExtension } from './audio-format';

export type FetchOutcome =
  /** 200 and playable audio. */
  | 'ok'
  /** Connection refused, reset, timed out, or not an http(s) URL. */
  | 'network-error'
  /** Any status but 200 (redirects included: the cache does not follow them). */
  | 'http-error'
  /** The URL's extension names no format Asterisk has. */
  | 'unknown-extension'
  /** 200, but the body does not open as audio. */
  | 'not-audio';

export interface MediaFetch {
  /** Wall time the fetch finished. */
  at: number;
  url: string;
  status: number | null;
  contentType: string | null;
  bytes: number;
  outcome: FetchOutcome;
  /** Why it failed, in words (for test failure messages). */
  reason?: string;
  /** Audio length in Asterisk ms when playable. */
  durationMs?: number;
}

/** Same as the shipped http_media_cache.conf's user_agent, so a test sees what production sends. */
const USER_AGENT = 'asterisk-dozvon';

export async function fetchMedia(url: string, timeoutMs: number, cancel: AbortSignal): Promise<MediaFetch> {
  const rec: MediaFetch = { at: 0, url, status: null, contentType: null, bytes: 0, outcome: 'network-error' };
  const done = (outcome: FetchOutcome, reason?: string, durationMs?: number): MediaFetch => {
    Object.assign(rec, { at: Date.now(), outcome }, reason === undefined ? {} : { reason }, durationMs === undefined ? {} : { durationMs });
    return rec;
  };
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return done('network-error', 'not a URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return done('network-error', `protocol ${target.protocol} is not fetched`);
  let res: { status: number; contentType: string | null; body: Buffer };
  try {
    res = await get(target, AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]));
  } catch (err) {
    const e = err as Error;
    return done('network-error', e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : e.message);
  }
  Object.assign(rec, { status: res.status, contentType: res.contentType, bytes: res.body.length });
  if (res.status !== 200) return done('http-error', `HTTP ${res.status}`);
  const ext = extensionOf(target.pathname);
  if (!isKnownExtension(ext)) return done('unknown-extension', ext ? `.${ext} is not a sound format` : 'the URL has no file extension');
  // A raw format has no header to check. Asterisk would play an error page as noise; a caller
  // hearing noise is as broken as silence, so a textual body is refused here.
  if (ext !== 'wav' && /^(text\/|application\/(json|xml|problem))/i.test(res.contentType ?? '')) {
    return done('not-audio', `.${ext} served as ${res.contentType}`);
  }
  const audio = checkAudio(ext, res.body);
  if (!audio.ok) return done('not-audio', `${audio.reason} (Content-Type ${res.contentType ?? 'none'})`);
  return done('ok', undefined, audio.durationMs);
}

/** One GET on a fresh connection (no pooling: nothing keeps the app's server from closing). */
function get(url: URL, signal: AbortSignal): Promise<{ status: number; contentType: string | null; body: Buffer }> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { agent: false, signal, headers: { 'User-Agent': USER_AGENT, Accept: '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const type = res.headers['content-type'];
        resolve({ status: res.statusCode ?? 0, contentType: typeof type === 'string' ? type : null, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (err) => reject(signal.aborted ? (signal.reason as Error) : err));
  });
}
