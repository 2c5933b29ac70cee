/**
 * The call leg of verification, for landlines and SIP extensions: dial the number, read the code
 * twice, ask for it back and take six digits with the prompt helper. The digits are played as
 * `digits:NNNNNN` media so Asterisk reads them one by one in the person's language whatever the
 * speech engine; the words around them come from TTS, or from fixed prompts when TTS is `none`.
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { User } from '../directory/user';
import type { CallEnd, CallLeg, Telephony } from '../telephony/types';
import { buildDialString } from '../telephony/dial-string';
import type { Lang, Speech, Tts } from '../tts/types';
import { promptMedia } from '../tts/prompts';
import { prompt } from '../ivr/prompt';
import type { ConfirmResult } from './confirm';

export type CallVerifyOutcome = 'verified' | 'wrong' | 'expired' | 'too-many-attempts' | 'no-digits' | 'hangup' | 'not-answered' | 'failed';

export interface CallVerifyResult {
  outcome: CallVerifyOutcome;
  /** False when the code was never read to anyone (no answer, busy, failed dial). */
  answered: boolean;
  cause: string;
}

export interface CallRequest {
  user: User;
  code: string;
  signal: AbortSignal;
  log: Logger;
  /** Called once the far end answered, before the code is read. */
  onAnswered(): Promise<void>;
  confirm(digits: string): Promise<ConfirmResult>;
}

/** Resolves once the call is placed (rejects when it cannot be); `result` when it is over. */
export interface CodeCaller {
  start(req: CallRequest): Promise<{ result: Promise<CallVerifyResult> }>;
}

export interface VerificationCallOptions {
  dialTemplate: string;
  callerId: string;
  ringTimeoutSec?: number;
  firstDigitTimeoutMs?: number;
  interDigitTimeoutMs?: number;
  /** Codes the person may type in one call (each wrong one also costs one of the code's five tries). */
  triesPerCall?: number;
  maxCallMs?: number;
}

export interface VerificationCallDeps {
  telephony: Telephony;
  tts: Tts;
  clock: Clock;
}

type Phrase = 'intro' | 'enter' | 'verified' | 'wrong' | 'dead' | 'silence';

const PHRASES: Record<Phrase, Record<Lang, string>> = {
  intro: { en: 'Your dozvon verification code is', ru: 'Ваш код подтверждения дозвона' },
  enter: { en: 'Enter the code to confirm.', ru: 'Введите код для подтверждения.' },
  verified: { en: 'Thank you, your number is verified. Goodbye.', ru: 'Спасибо, ваш номер подтверждён. До свидания.' },
  wrong: { en: 'That code is not right. Please try again.', ru: 'Код неверный. Попробуйте ещё раз.' },
  dead: {
    en: 'That code can no longer be used. Please ask for a new one. Goodbye.',
    ru: 'Этот код больше не действует. Запросите новый. До свидания.',
  },
  silence: { en: 'No code was entered. Goodbye.', ru: 'Код не введён. До свидания.' },
};

/** When every speech engine is gone: the closest fixed prompts, so the digits still arrive. */
const FALLBACK: Record<Phrase, (lang: Lang) => string[]> = {
  intro: (l) => [promptMedia('greeting', l)],
  enter: () => [],
  verified: (l) => [promptMedia('goodbye', l)],
  wrong: (l) => [promptMedia('wrong_pin', l)],
  dead: (l) => [promptMedia('goodbye', l)],
  silence: (l) => [promptMedia('no_response', l)],
};

const PAUSE = 'sound:silence/1';

export class VerificationCaller implements CodeCaller {
  constructor(
    private readonly deps: VerificationCallDeps,
    private readonly opts: VerificationCallOptions,
  ) {}

  async start(req: CallRequest): Promise<{ result: Promise<CallVerifyResult> }> {
    const endpoint = buildDialString(this.opts.dialTemplate, req.user.phone ?? '');
    // Speech first: the person should not wait in silence after answering.
    const speech = await this.render(req.user.lang, req.signal, req.log);
    try {
      const leg = await this.deps.telephony.originate({
        endpoint,
        callerId: this.opts.callerId,
        timeoutSec: this.opts.ringTimeoutSec ?? 30,
        appArgs: ['verify'],
      });
      return { result: this.converse(leg, speech, req) };
    } catch (e) {
      speech.release();
      throw e;
    }
  }

  private async render(lang: Lang, signal: AbortSignal, log: Logger): Promise<{ say: Record<Phrase, string[]>; release(): void }> {
    const phrases = Object.keys(PHRASES) as Phrase[];
    const spoken = await Promise.all(
      phrases.map((p) =>
        this.deps.tts.render(PHRASES[p][lang], lang, signal).catch((e: unknown): Speech | null => {
          log.warn({ err: errorMessage(e), phrase: p }, 'verification speech failed; using fixed prompts');
          return null;
        }),
      ),
    );
    const say = {} as Record<Phrase, string[]>;
    // The prompt engine cannot say these sentences word for word; its best guess would mislead.
    phrases.forEach((p, i) => (say[p] = spoken[i] && spoken[i].engine !== 'none' ? spoken[i].media : FALLBACK[p](lang)));
    return { say, release: () => spoken.forEach((s) => s?.release?.()) };
  }

  private async converse(
    leg: CallLeg,
    speech: { say: Record<Phrase, string[]>; release(): void },
    req: CallRequest,
  ): Promise<CallVerifyResult> {
    const hangup = () => void leg.hangup('normal').catch((e: unknown) => req.log.warn({ err: errorMessage(e) }, 'hangup failed'));
    const cap = this.deps.clock.setTimeout(hangup, this.opts.maxCallMs ?? 3 * 60_000);
    req.signal.addEventListener('abort', hangup, { once: true });
    try {
      const end = await this.waitAnswer(leg);
      if (end) return { outcome: 'not-answered', answered: false, cause: describeEnd(end) };
      req.log.info('verification call answered');
      await req.onAnswered();
      return await this.dialogue(leg, speech.say, req);
    } catch (e) {
      return { outcome: 'failed', answered: leg.ended()?.answered ?? leg.isUp(), cause: errorMessage(e) };
    } finally {
      cap.cancel();
      req.signal.removeEventListener('abort', hangup);
      if (!leg.ended()) hangup();
      speech.release();
    }
  }

  private async dialogue(leg: CallLeg, say: Record<Phrase, string[]>, req: CallRequest): Promise<CallVerifyResult> {
    const lang = req.user.lang;
    const code = `digits:${req.code}`;
    let media = [...say.intro, code, PAUSE, ...say.intro, code, PAUSE, ...say.enter];
    const tries = this.opts.triesPerCall ?? 3;
    for (let i = 0; i < tries; i++) {
      const r = await prompt(leg, this.deps.clock, {
        media,
        lang,
        maxDigits: 6,
        terminator: '#',
        validDigits: '0123456789#',
        replays: 1,
        firstDigitTimeoutMs: this.opts.firstDigitTimeoutMs ?? 10_000,
        interDigitTimeoutMs: this.opts.interDigitTimeoutMs ?? 5_000,
        log: req.log,
      });
      if (r.status === 'hangup') return { outcome: 'hangup', answered: true, cause: 'hung up before entering the code' };
      if (r.status === 'error') return { outcome: 'failed', answered: true, cause: errorMessage(r.error) };
      if (r.status === 'timeout') {
        await this.say(leg, say.silence, lang, req.log);
        return { outcome: 'no-digits', answered: true, cause: 'no digits entered' };
      }
      const res = await req.confirm(r.digits);
      if (res.status === 'ok') {
        await this.say(leg, say.verified, lang, req.log);
        return { outcome: 'verified', answered: true, cause: 'code entered' };
      }
      if (res.status === 'wrong' && res.attemptsLeft > 0 && i + 1 < tries) {
        media = [...say.wrong, ...say.enter];
        continue;
      }
      await this.say(leg, say.dead, lang, req.log);
      return { outcome: res.status === 'none' ? 'expired' : res.status, answered: true, cause: `code ${res.status}` };
    }
    return { outcome: 'wrong', answered: true, cause: 'wrong code' }; // unreachable: the loop always returns on its last turn
  }

  /** The closing words are a courtesy: a caller who hangs up during them changes nothing. */
  private async say(leg: CallLeg, media: string[], lang: Lang, log: Logger): Promise<void> {
    if (leg.ended() || media.length === 0) return;
    try {
      await (
        await leg.play(media, { lang })
      ).finished;
    } catch (e) {
      log.warn({ err: errorMessage(e) }, 'could not play the closing words');
    }
  }

  /** Null once answered; the end when the call ended before that. */
  private waitAnswer(leg: CallLeg): Promise<CallEnd | null> {
    return new Promise((resolve) => {
      if (leg.isUp()) return resolve(null);
      const done = (end: CallEnd | null) => {
        leg.off('answered', onAnswered);
        leg.off('ended', onEnded);
        resolve(end);
      };
      const onAnswered = () => done(null);
      const onEnded = (end: CallEnd) => done(end);
      leg.on('answered', onAnswered);
      leg.on('ended', onEnded);
      const end = leg.ended();
      if (end) onEnded(end);
    });
  }
}

function describeEnd(end: CallEnd): string {
  return [
    end.outcome,
    end.cause !== null ? `cause ${end.cause} ${end.causeText}` : end.causeText,
    end.dialStatus ? `dial ${end.dialStatus}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}
