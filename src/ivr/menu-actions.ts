/**
 * What a menu digit does: 1 acknowledge, 2 escalate, 3 reassign (a numbered list,
 * then the choice), 4 resolve. While OnCall is slow the caller hears "one moment please".
 * Only pages tied to an OnCall alert group act on OnCall; dozvon's own pages and OnCall pages
 * whose incident could not be identified are answered in without-oncall.ts.
 */
import type { Clock } from '../core/clock';
import type { TypeAhead } from './type-ahead';
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';
import type { CallLeg } from '../telephony/types';
import type { Tts } from '../tts/types';
import { promptMedia, type PromptId } from '../tts/prompts';
import type { ActionContext, ActionName, ActionResult, OnCallActions } from '../oncall/actions';
import type { Notification } from '../db/notifications-repo';
import type { Lang } from '../directory/user';
import { prompt } from './prompt';
import type { CallState } from './call-states';
import type { AlertPageActions } from './alert-pages';
import { gotIt, notAnIncident, ONCALL_NOT_CONNECTED, pageOrigin, PageTaking, UNIDENTIFIED } from './without-oncall';

export type MenuActions = Pick<OnCallActions, 'acknowledge' | 'resolve' | 'escalate' | 'reassign' | 'reassignMenu'>;

/** An action's outcome as the call reports it; `take` is digit 1 on a page dozvon sent by itself. */
export type MenuResult = Omit<ActionResult, 'action'> & { action: ActionName | 'take' };

export interface MenuActionInput {
  digit: string;
  leg: CallLeg;
  /** Digits pressed ahead of the reassign list (3 then 1 in one go). */
  typeAhead?: TypeAhead;
  lang: Lang;
  ctx: ActionContext;
  actions: MenuActions | null;
  /** The pages the call was about: which of them OnCall is asked about (their groups replace ctx.alertGroupIds). */
  pages: readonly { notification: Notification; alertGroupId: string | null }[];
  /** Digit 1 on dozvon's own pages tells the others paged about them (null: nobody to tell). */
  taking?: PageTaking | null;
  /** Digits on alert pages act on the alert; null: alerts are not served. */
  alerts?: AlertPageActions | null;
  clock: Clock;
  tts: Tts;
  log: Logger;
  signal: AbortSignal;
  enter: (s: CallState) => void;
  onDigits: (d: string) => void;
}

const NOT_AVAILABLE: ActionResult['spoken'] = {
  en: 'Sorry, that failed; the incident is unchanged.',
  ru: 'Извините, не получилось; инцидент не изменён.',
};
const DIGIT_ACTION = { '1': 'acknowledge', '2': 'escalate', '3': 'reassign', '4': 'resolve' } as const;

/** Runs the digit's action; null when the caller hung up before choosing. */
export async function runMenuAction(i: MenuActionInput): Promise<MenuResult | null> {
  const name = DIGIT_ACTION[i.digit as keyof typeof DIGIT_ACTION];
  const { pages } = i;
  const origin = (p: (typeof pages)[number]) => pageOrigin({ source: p.notification.source, alertGroupId: p.alertGroupId });
  const groups = [...new Set(pages.filter((p) => origin(p) === 'oncall').map((p) => p.alertGroupId as string))];
  const parts: MenuResult[] = [];
  if (groups.length) {
    const r = await onOnCall(i, name, { ...i.ctx, alertGroupIds: groups });
    if (!r) return null;
    parts.push(r);
  } else {
    i.enter('acting');
  }
  const unidentified = pages.filter((p) => origin(p) === 'unidentified');
  if (unidentified.length) {
    i.log.warn(
      { digit: i.digit, pages: unidentified.map((p) => p.notification.id) },
      'digit on a page whose OnCall incident is unknown: nothing done in OnCall',
    );
    parts.push({
      status: 'failed',
      action: name,
      spoken: UNIDENTIFIED,
      detail: 'the OnCall incident could not be identified: nothing done in OnCall',
    });
  }
  const alerts = pages.filter((p) => origin(p) === 'alert').map((p) => p.notification);
  if (alerts.length) parts.push(await onAlertPages(i, name, alerts));
  const own = pages.filter((p) => origin(p) === 'direct').map((p) => p.notification);
  if (own.length) parts.push(await onOwnPages(i, name, own));
  return combine(parts);
}

async function onOnCall(i: MenuActionInput, name: ActionName, ctx: ActionContext): Promise<MenuResult | null> {
  if (!i.actions) {
    i.enter('acting');
    i.log.warn({ digit: i.digit }, 'OnCall is not configured: no action taken');
    return { status: 'failed', action: name, spoken: ONCALL_NOT_CONNECTED, detail: 'DOZVON_ONCALL_URL is not set' };
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
    const r = await prompt(i.leg, i.clock, {
      media: speech?.media ?? [],
      lang: i.lang,
      maxDigits: 1,
      terminator: null,
      firstDigitTimeoutMs: 10_000,
      replays: 2,
      validDigits: valid,
      typeAhead: i.typeAhead,
      log: i.log,
    });
    if (r.status !== 'digits') return null;
    i.onDigits(r.digits);
    choice = Number(r.digits);
  }
  i.enter('acting');
  const onSlow = () => void i.leg.play([promptMedia('one_moment', i.lang)], { lang: i.lang }).catch(() => undefined);
  const opts = { onSlow, signal: i.signal };
  switch (name) {
    case 'acknowledge':
      return i.actions.acknowledge(ctx, opts);
    case 'resolve':
      return i.actions.resolve(ctx, opts);
    case 'escalate':
      return i.actions.escalate(ctx, opts);
    case 'reassign':
      return i.actions.reassign(ctx, choice, opts);
  }
}

/** Alert pages: every digit acts on the alert; 3 hands it on without a list to choose from. */
async function onAlertPages(i: MenuActionInput, name: ActionName, pages: Notification[]): Promise<MenuResult> {
  if (!i.alerts) return { status: 'failed', action: name, spoken: NOT_AVAILABLE, detail: 'alerts are not served here' };
  try {
    return { ...(await i.alerts.act(name, pages, { name: i.ctx.actor.name, email: i.ctx.actor.email })), action: name };
  } catch (e) {
    i.log.warn({ err: errorMessage(e), digit: i.digit }, 'alert action failed');
    return { status: 'failed', action: name, spoken: NOT_AVAILABLE, detail: `alert action failed: ${errorMessage(e)}` };
  }
}

/** dozvon's own pages: 1 takes them (and tells the others); the other digits have nothing to act on. */
async function onOwnPages(i: MenuActionInput, name: ActionName, pages: Notification[]): Promise<MenuResult> {
  if (name !== 'acknowledge')
    return { status: 'failed', action: name, spoken: notAnIncident(name), detail: 'not an OnCall incident: nothing to do' };
  const testCall = pages.every((p) => p.source === 'test-call');
  let told: string[] = [];
  let detail = 'taken';
  try {
    told = i.taking ? (await i.taking.take(pages, { name: i.ctx.actor.name, email: i.ctx.actor.email })).told : [];
    if (told.length) detail = `taken; told ${told.length} other(s)`;
  } catch (e) {
    // The caller has it either way; the others keep their own pages.
    i.log.warn({ err: errorMessage(e) }, 'could not tell the others who took the page');
    detail = `taken; telling the others failed: ${errorMessage(e)}`;
  }
  return { status: 'done', action: 'take', spoken: gotIt(told, testCall), detail };
}

/** One answer for a call that bundled pages of different kinds: every part is said. */
function combine(parts: MenuResult[]): MenuResult {
  const [first] = parts;
  if (!first) return { status: 'failed', action: 'acknowledge', spoken: NOT_AVAILABLE, detail: 'the call was about no page' };
  if (parts.length === 1) return first;
  return {
    ...first,
    spoken: { en: parts.map((p) => p.spoken.en).join(' '), ru: parts.map((p) => p.spoken.ru).join(' ') },
    detail: parts.map((p) => p.detail).join('; '),
  };
}

/** The recorded prompt that says a result when no speech could be rendered for its text. */
export function resultPrompt(r: MenuResult): PromptId {
  if (r.spoken === UNIDENTIFIED) return 'not_identified';
  if (r.action === 'take') return 'got_it';
  if (r.status === 'failed') return 'failed';
  if (r.action === 'acknowledge') return 'acknowledged';
  if (r.action === 'resolve') return 'resolved';
  return 'escalated';
}
