/**
 * Digit 3 on an alert page: the caller hears the members of the alert's team with a digit each
 * and chooses who takes it over. A wrong digit or silence reads the list once more; after that
 * the caller is back at the main menu rather than cut off, since they may still want 1 or 2.
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { CallLeg } from '../telephony/types';
import type { Tts } from '../tts/types';
import type { Notification } from '../db/notifications-repo';
import type { Lang } from '../directory/user';
import type { ActionResult } from '../oncall/actions';
import { prompt } from './prompt';
import type { TypeAhead } from './type-ahead';
import type { CallState } from './call-states';
import type { AlertCaller, AlertOutcome, AlertPageActions } from './alert-pages';

export interface HandOverInput {
  alerts: AlertPageActions;
  pages: readonly Notification[];
  actor: AlertCaller;
  leg: CallLeg;
  typeAhead?: TypeAhead;
  lang: Lang;
  clock: Clock;
  tts: Tts;
  log: Logger;
  signal: AbortSignal;
  enter: (s: CallState) => void;
  onDigits: (d: string) => void;
}

/** The list is read this many times before the caller is returned to the main menu. */
const READINGS = 2;
const CHOICE_WAIT_MS = 10_000;

const FAILED: ActionResult['spoken'] = {
  en: 'Sorry, that failed; the alert is unchanged.',
  ru: 'Извините, не получилось; алерт не изменён.',
};

/** The hand-over's result; `menu`: nothing chosen, back to the main menu; null: the caller hung up. */
export async function handOverAlert(i: HandOverInput): Promise<AlertOutcome | 'menu' | null> {
  try {
    const offer = await i.alerts.handOverOffer(i.pages, i.actor, i.lang);
    if (offer.kind === 'plan') {
      i.enter('acting');
      return await i.alerts.act('reassign', i.pages, i.actor);
    }
    if (offer.kind === 'answer') {
      i.enter('acting');
      return offer.result;
    }
    i.enter('reassign-menu');
    const speech = await i.tts.render(offer.text, i.lang, i.signal);
    for (let reading = 0; reading < READINGS; reading++) {
      const r = await prompt(i.leg, i.clock, {
        media: speech.media,
        lang: i.lang,
        maxDigits: 1,
        terminator: null,
        firstDigitTimeoutMs: CHOICE_WAIT_MS,
        typeAhead: i.typeAhead,
        log: i.log,
      });
      if (r.status === 'hangup' || r.status === 'cancelled' || r.status === 'error') return null;
      if (r.status === 'timeout') continue;
      i.onDigits(r.digits);
      const chosen = offer.choices.find((c) => c.digit === r.digits);
      if (!chosen) continue;
      i.enter('acting');
      return await i.alerts.handOver(i.pages, i.actor, chosen.userId);
    }
    i.log.info({ readings: READINGS }, 'nobody chosen to hand the alert to: back to the main menu');
    return 'menu';
  } catch (e) {
    i.log.warn({ err: errorMessage(e) }, 'handing the alert over failed');
    i.enter('acting');
    return { status: 'failed', spoken: FAILED, detail: `hand-over failed: ${errorMessage(e)}` };
  }
}
