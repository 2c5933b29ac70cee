/**
 * Google Translate's speech endpoint through google-tts-api: the only file that imports it.
 * We use the library's own splitting (getAllAudioUrls splits without any network) and then
 * fetch the parts ourselves, so that we can cap concurrency, back off on 429 and honour an
 * AbortSignal, which getAllAudioBase64 (all parts at once, no retry) cannot.
 *
 * Trust: google-tts-api evaluates the host's reply with eval(), so DOZVON_TTS_GOOGLE_HOST
 * must be Google or a host you control (docs/speech.md).
 */
import { getAllAudioUrls, getAudioBase64 } from 'google-tts-api';
import { AppError } from '../core/errors';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { Mp3Decoder } from './audio/mp3';
import type { AudioWork } from './audio/thread';
import { abortable, Limiter } from './limiter';
import type { Lang, Pcm, Synthesizer } from './types';

export const GOOGLE_DEFAULT_HOST = 'https://translate.google.com';

export interface GoogleOptions {
  host?: string | null;
  /** Per request, handed to the library (axios). */
  timeoutMs?: number;
  /** Parallel requests across all renders of this process. */
  concurrency?: number;
  /** Further tries after a 429, waiting backoffMs, 2×, 4×… */
  retries429?: number;
  backoffMs?: number;
  clock: Clock;
  logger: Logger;
  /** Where the MP3 parts are decoded: the audio thread in the service, this thread by default. */
  audio?: Pick<AudioWork, 'decodeMp3'>;
}

export class GoogleSynthesizer implements Synthesizer {
  readonly engine = 'google' as const;
  private readonly host: string;
  private readonly limiter: Limiter;
  private readonly decoder: Pick<AudioWork, 'decodeMp3'>;

  constructor(private readonly opts: GoogleOptions) {
    this.host = (opts.host || GOOGLE_DEFAULT_HOST).replace(/\/+$/, '');
    this.limiter = new Limiter(opts.concurrency ?? 4);
    this.decoder = opts.audio ?? inlineDecoder();
  }

  voice(lang: Lang): string {
    return `google-${lang}`;
  }

  /** The parts google-tts-api would send, split exactly as the library does (200 chars, at spaces or punctuation). */
  split(text: string, lang: Lang): string[] {
    try {
      return getAllAudioUrls(text, { lang, host: this.host }).map((p) => p.shortText);
    } catch (e) {
      throw new AppError('tts-google-text', `text cannot be split for Google TTS: ${(e as Error).message}`, { cause: e });
    }
  }

  async synthesize(text: string, lang: Lang, signal?: AbortSignal): Promise<Pcm> {
    const mp3s = await this.fetchMp3(text, lang, signal);
    return this.decoder.decodeMp3(mp3s);
  }

  /** Network half of synthesize(), separate so the benchmark can time it apart from our CPU. */
  async fetchMp3(text: string, lang: Lang, signal?: AbortSignal): Promise<Uint8Array[]> {
    const parts = this.split(text, lang);
    const b64 = await Promise.all(parts.map((part) => this.limiter.run(() => this.fetchPart(part, lang, signal), signal)));
    return b64.map((s) => new Uint8Array(Buffer.from(s, 'base64')));
  }

  decode(mp3s: Uint8Array[]): Promise<Pcm> {
    return this.decoder.decodeMp3(mp3s);
  }

  async health(signal?: AbortSignal): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.fetchPart('OK', 'en', signal);
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  private async fetchPart(part: string, lang: Lang, signal?: AbortSignal): Promise<string> {
    const retries = this.opts.retries429 ?? 3;
    const backoff = this.opts.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        const call = getAudioBase64(part, { lang, host: this.host, timeout: this.opts.timeoutMs ?? 5000 });
        return await abortable(call, signal);
      } catch (e) {
        if (signal?.aborted) throw new AppError('tts-aborted', 'speech rendering aborted', { temporary: true, cause: e });
        const err = mapError(e, this.host);
        if (err.code !== 'tts-google-rate-limited' || attempt >= retries) throw err;
        const wait = backoff * 2 ** attempt;
        this.opts.logger.warn({ attempt: attempt + 1, waitMs: wait }, 'google tts rate limited, backing off');
        await this.opts.clock.sleep(wait, signal);
      }
    }
  }
}

function inlineDecoder(): Pick<AudioWork, 'decodeMp3'> {
  const d = new Mp3Decoder();
  return { decodeMp3: (streams) => d.decode(streams) };
}

interface AxiosLikeError {
  code?: string;
  message?: string;
  response?: { status?: number };
}

function mapError(e: unknown, host: string): AppError {
  const err = e as AxiosLikeError;
  const status = err?.response?.status;
  const msg = (e as Error)?.message ?? String(e);
  if (status === 429)
    return new AppError('tts-google-rate-limited', `Google TTS at ${host} answered 429 (rate limited)`, { temporary: true, cause: e });
  if (status !== undefined && status >= 500)
    return new AppError('tts-google-failed', `Google TTS at ${host} answered ${status}`, { temporary: true, cause: e });
  if (status !== undefined)
    return new AppError('tts-google-rejected', `Google TTS at ${host} answered ${status}`, { temporary: false, cause: e });
  if (err?.code === 'ECONNABORTED' || /timeout/i.test(msg))
    return new AppError('tts-google-timeout', `Google TTS at ${host} did not answer in time`, { temporary: true, cause: e });
  if (err?.code)
    return new AppError('tts-google-unreachable', `Google TTS at ${host} unreachable: ${err.code}`, { temporary: true, cause: e });
  if (/lang .* might not exist/.test(msg))
    return new AppError('tts-google-lang', `Google TTS has no voice for this language: ${msg}`, { temporary: false, cause: e });
  // Anything else is a reply we could not read: the protocol changed or the host is not Google's.
  return new AppError('tts-google-bad-response', `Google TTS at ${host} sent a reply we cannot read: ${msg.slice(0, 200)}`, {
    temporary: true,
    cause: e,
  });
}
