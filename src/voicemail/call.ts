/**
 * The call's turn once the watch says "answering machine": the message is rendered while the
 * greeting runs and left once the greeting (and its beep) is over. A digit meanwhile was a person
 * after all, who then gets the whole call from the caller's side (`asPerson`).
 */
import type { Logger } from '../core/log';
import type { CallLeg } from '../telephony/types';
import type { Lang, Tts } from '../tts/types';
import { leaveVoicemail, renderVoicemail, VoicemailPage } from './message';
import type { VoicemailWatch } from './watch';

export interface MachineCall {
  leg: Pick<CallLeg, 'play' | 'ended' | 'hangup'>;
  watch: Pick<VoicemailWatch, 'machine' | 'greetingEnd'>;
  tts: Tts;
  pages: readonly VoicemailPage[];
  lang: Lang;
  callbackNumber: string | null;
  signal: AbortSignal;
  log: Logger;
  /** The call's state machine: waiting for the greeting, then leaving the message. */
  enter(state: 'voicemail' | 'leaving-message'): void;
  asPerson(): Promise<void>;
}

export type MachineResult = { kind: 'person' } | { kind: 'voicemail'; result: string };

export async function answerMachine(c: MachineCall): Promise<MachineResult> {
  const verdict = await c.watch.machine;
  c.enter('voicemail');
  const after = `answering machine after ${(verdict.afterMs / 1000).toFixed(1)} s`;
  const media = renderVoicemail(c.tts, c.pages, c.lang, c.callbackNumber, c.signal, c.log);
  const end = await c.watch.greetingEnd();
  if (end === 'person') {
    await c.asPerson();
    return { kind: 'person' };
  }
  if (end === 'hangup' || c.leg.ended()) return { kind: 'voicemail', result: `${after}; hung up before the message` };
  c.enter('leaving-message');
  const heard = await leaveVoicemail(c.leg, await media, c.lang, c.log);
  return { kind: 'voicemail', result: `${after}; ${heard ? 'message left' : 'message cut short'}` };
}
