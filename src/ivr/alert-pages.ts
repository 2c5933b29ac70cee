/**
 * Menu digits on alert pages (dozvon's own Opsgenie-style alerts): 1 acknowledges the alert,
 * 2 escalates it to the next step now, 3 hands it to a member of its team the caller chooses,
 * 4 closes it. The alerts module does the work; the call only asks and says what happened.
 */
import type { Notification } from '../db/notifications-repo';
import type { ActionName, ActionResult } from '../oncall/actions';
import type { Lang } from '../directory/user';

/** The notifications' `source` for alert pages: the menu and the links recognise them by it. */
export const ALERT_SOURCE = 'alert';

export type AlertOutcome = Omit<ActionResult, 'action'>;
export type AlertCaller = { name: string; email?: string };

/** One person the caller can hand the alert to: the digit that chooses them. */
export interface HandOverChoice {
  digit: string;
  userId: number;
  name: string;
}

/**
 * What digit 3 offers: a list to choose from (`text` says it in the caller's language), an
 * answer with nothing to choose (nobody else in the team, the alert is gone), or `plan` when the
 * alert has no team, so the rest of its escalation plan takes it.
 */
export type HandOverOffer =
  { kind: 'choose'; choices: readonly HandOverChoice[]; text: string } | { kind: 'answer'; result: AlertOutcome } | { kind: 'plan' };

export interface AlertPageActions {
  act(action: ActionName, pages: readonly Notification[], actor: AlertCaller): Promise<AlertOutcome>;
  handOverOffer(pages: readonly Notification[], actor: AlertCaller, lang: Lang): Promise<HandOverOffer>;
  /** Assigns the pages' alerts to the chosen person and pages them now. */
  handOver(pages: readonly Notification[], actor: AlertCaller, userId: number): Promise<AlertOutcome>;
}
