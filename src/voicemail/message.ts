/**
 * The one short message left on an answering machine: what broke, on which host, and the number to
 * call back when one is configured. No menu: nobody can press a key on a recording, and a mailbox
 * full of menus tells its owner nothing.
 */
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import type { CallLeg } from '../telephony/types';
import { promptMedia } from '../tts/prompts';
import type { Lang, Tts } from '../tts/types';

/** What the message needs from a page (ivr's PreparedPage has it). */
export interface VoicemailPage {
  text: string;
  summary: { title: string | null; host: string | null; message: string } | null;
}

const MAX_WHAT = 120;

const WORDS = {
  en: {
    hello: 'Hello, this is dozvon, your on-call pager.',
    incident: 'Incident',
    host: 'Host',
    more: (n: number) => `And ${n} more.`,
    callBack: 'Please call back on',
    check: 'Please check your pages.',
  },
  ru: {
    hello: 'Здравствуйте, это дозвон, дежурный пейджер.',
    incident: 'Инцидент',
    host: 'Хост',
    more: (n: number) => `И ещё ${n}.`,
    callBack: 'Перезвоните по номеру',
    check: 'Проверьте ваши вызовы.',
  },
} as const;

export function voicemailText(pages: readonly VoicemailPage[], lang: Lang, callbackNumber: string | null): string {
  const w = WORDS[lang];
  const first = pages[0];
  const what = cut((first?.summary?.title ?? first?.summary?.message ?? first?.text ?? '').trim());
  const parts: string[] = [w.hello];
  parts.push(what ? `${w.incident}: ${stop(what)}` : `${w.incident}.`);
  if (first?.summary?.host) parts.push(`${w.host}: ${stop(first.summary.host)}`);
  if (pages.length > 1) parts.push(w.more(pages.length - 1));
  // Digit by digit: a number read as one amount ("seventy-four billion…") cannot be dialled back.
  parts.push(callbackNumber ? `${w.callBack} ${spellDigits(callbackNumber)}.` : w.check);
  return parts.join(' ');
}

/** Recorded prompts standing in when no speech could be rendered (as the summary falls back). */
export function voicemailPromptMedia(lang: Lang, callbackNumber: string | null): string[] {
  const digits = callbackNumber?.replace(/[^0-9]/g, '') ?? '';
  return [promptMedia('greeting', lang), promptMedia('voicemail_left', lang), ...(digits ? [`digits:${digits}`] : [])];
}

/** Rendered now (during the greeting), played once it ends; never rejects. */
export async function renderVoicemail(
  tts: Tts,
  pages: readonly VoicemailPage[],
  lang: Lang,
  callbackNumber: string | null,
  signal: AbortSignal,
  log: Logger,
): Promise<string[]> {
  try {
    const speech = await tts.render(voicemailText(pages, lang, callbackNumber), lang, signal);
    return speech.media;
  } catch (err) {
    log.warn({ err: errorMessage(err) }, 'voicemail speech failed; leaving the message with prompts');
    return voicemailPromptMedia(lang, callbackNumber);
  }
}

/** Plays the message to its end and hangs up; resolves whether or not the machine heard all of it. */
export async function leaveVoicemail(
  leg: Pick<CallLeg, 'play' | 'ended' | 'hangup'>,
  media: string[],
  lang: Lang,
  log: Logger,
): Promise<boolean> {
  if (leg.ended()) return false;
  const pb = await leg.play(media, { lang, speech: 'summary' }).catch((err: unknown) => {
    log.warn({ err: errorMessage(err) }, 'could not play the voicemail message');
    return null;
  });
  const heard = pb ? (await pb.finished) === 'done' : false;
  await leg.hangup('normal').catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'hangup after the voicemail message failed'));
  return heard;
}

function cut(s: string): string {
  return s.length <= MAX_WHAT ? s : `${s.slice(0, MAX_WHAT - 1).trimEnd()}…`;
}

function stop(s: string): string {
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

function spellDigits(n: string): string {
  const plus = n.trim().startsWith('+') ? '+' : '';
  return plus + [...n.replace(/[^0-9]/g, '')].join(' ');
}
