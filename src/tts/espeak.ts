/**
 * espeak-ng (Debian package `espeak-ng`) as a child process: fully offline, robotic but
 * always there. Text goes in on stdin (never as an argument, so nothing in an alert can be
 * read as an option) and WAV comes back on stdout.
 */
import { spawn } from 'node:child_process';
import { AppError } from '../core/errors';
import { parseWav, int16ToFloat } from './audio/wav';
import { Limiter } from './limiter';
import type { Lang, Pcm, Synthesizer } from './types';

export const ESPEAK_VOICES: Record<Lang, string> = { en: 'en-us', ru: 'ru' };

export interface EspeakOptions {
  binary?: string;
  timeoutMs?: number;
  /** Words per minute; a little slower than espeak's 175 helps over a phone line. */
  speed?: number;
  concurrency?: number;
}

export class EspeakSynthesizer implements Synthesizer {
  readonly engine = 'espeak' as const;
  private readonly limiter: Limiter;

  constructor(private readonly opts: EspeakOptions = {}) {
    this.limiter = new Limiter(opts.concurrency ?? 2);
  }

  voice(lang: Lang): string {
    return `${ESPEAK_VOICES[lang]}@${this.opts.speed ?? 160}`;
  }

  async synthesize(text: string, lang: Lang, signal?: AbortSignal): Promise<Pcm> {
    const wav = await this.limiter.run(() => this.run(text, lang, signal), signal);
    const info = parseWav(wav);
    if (info.samples.length === 0) throw new AppError('tts-espeak-empty', 'espeak-ng produced no audio');
    return { samples: int16ToFloat(info.samples, info.channels), sampleRate: info.sampleRate };
  }

  async health(signal?: AbortSignal): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.run('ok', 'en', signal);
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  private run(text: string, lang: Lang, signal?: AbortSignal): Promise<Buffer> {
    const binary = this.opts.binary ?? 'espeak-ng';
    const args = ['--stdout', '-v', ESPEAK_VOICES[lang], '-s', String(this.opts.speed ?? 160), '-b', '1', '--stdin'];
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AppError('tts-aborted', 'speech rendering aborted', { temporary: true }));
      const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let stderr = '';
      let settled = false;
      const finish = (err: AppError | null, value?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else resolve(value as Buffer);
      };
      const timeoutMs = this.opts.timeoutMs ?? 10_000;
      const timer = setTimeout(
        () => finish(new AppError('tts-espeak-timeout', `espeak-ng did not finish in ${timeoutMs} ms`, { temporary: true })),
        timeoutMs,
      );
      const onAbort = () => finish(new AppError('tts-aborted', 'speech rendering aborted', { temporary: true }));
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e: NodeJS.ErrnoException) => {
        const missing = e.code === 'ENOENT';
        finish(
          new AppError(
            missing ? 'tts-espeak-missing' : 'tts-espeak-failed',
            missing ? `${binary} is not installed (apt-get install espeak-ng)` : `cannot run ${binary}: ${e.message}`,
            { temporary: !missing, cause: e },
          ),
        );
      });
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
      child.on('close', (code) => {
        if (code === 0) finish(null, Buffer.concat(out));
        else finish(new AppError('tts-espeak-failed', `espeak-ng exited with ${code}: ${stderr.trim()}`, { temporary: false }));
      });
      // EPIPE when the binary dies early: keep it for the message; 'close' or 'error' settles.
      child.stdin.on('error', (e) => (stderr = `${stderr} (stdin: ${e.message})`.slice(-500)));
      child.stdin.end(text, 'utf8');
    });
  }
}
