/**
 * What a menu digit does (spec §4.3): 1 acknowledge, 2 escalate, 3 reassign (a numbered list,
 * then the choice), 4 resolve. While OnCall is slow the caller hears "one moment please".
 */
import type { Clock } from '../core/clock';
import type { TypeAhead } from './type-ahead';
import type { Logger } from '../core/log';
import type { CallLeg } from '../telephony/types';
import type { Tts } from '../tts/types';
import { promptMedia } from '../tts/prompts';
import type { ActionContext, ActionResult, OnCallActions } from '../oncall/actions';
import type { Lang } from '../directory/user';
import { prompt } from './prompt';
import type { CallState } from './call-states';

export type MenuActions = Pick<OnCallActions, 'acknowledge' | 'resolve' | 'escalate' | 'reassign' | 'reassignMenu'>;

export interface MenuActionInput {
  digit: string;
  leg: CallLeg;
  /** Digits pressed ahead of the reassign list (3 then 1 in one go). */
  typeAhead?: TypeAhead;
  lang: Lang;
  ctx: ActionContext;
  actions: MenuActions | null;
  clock: Clock;
  tts: Tts;
  log: Logger;
  signal: AbortSignal;
  enter: (s: CallState) => void;
  onDigits: (d: string) => void;
}

const NOT_AVAILABLE: ActionResult['spoken'] = { en: 'Sorry, that failed; the incident is unchanged.', ru: 'Извините, не получилось; инцидент не изменён.' };

/** Runs the digit's action; null when the caller hung up before choosing. */
export async function runMenuAction(i: MenuActionInput): Promise<ActionResult | null> {
  const name = ({ '1': 'acknowledge', '2': 'escalate', '3': 'reassign', '4': 'resolve' } as const)[i.digit as '1' | '2' | '3' | '4'];
  if (!i.actions) {
    i.enter('acting');
    i.log.warn({ digit: i.digit }, 'OnCall is not configured: no action taken');
    return { status: 'failed', action: name, spoken: NOT_AVAILABLE, detail: 'DOZVON_ONCALL_URL is not set' };
  }
  let choice = 0;
  if (name === 'reassign') {
    const menu = i.actions.reassignMenu(i.lang);
    if (!menu) {
      i.enter('acting');
      return { status: 'failed', action: 'reassign', spoken: NOT_AVAILABLE, detail: 'no reassign list configured' };
    }
    i.enter('reassign-menu');
    const speech = await i.tts.render(menu.text, i.lang, i.signal).catch(() => null);
    const valid = menu.choices.map((c) => c.digit).join('');
    const r = await prompt(i.leg, i.clock, { media: speech?.media ?? [], lang: i.lang, maxDigits: 1, terminator: null, firstDigitTimeoutMs: 10_000, replays: 2, validDigits: valid, typeAhead: i.typeAhead, log: i.log });
    if (r.status !== 'digits') return null;
    i.onDigits(r.digits);
    choice = Number(r.digits);
  }
  i.enter('acting');
  const onSlow = () => void i.leg.play([promptMedia('one_moment', i.lang)], { lang: i.lang }).catch(() => undefined);
  const opts = { onSlow, signal: i.signal };
  switch (name) {
    case 'acknowledge':
      return i.actions.acknowledge(i.ctx, opts);
    case 'resolve':
      return i.actions.resolve(i.ctx, opts);
    case 'escalate':
      return i.actions.escalate(i.ctx, opts);
    case 'reassign':
      return i.actions.reassign(i.ctx, choice, opts);
  }
}
