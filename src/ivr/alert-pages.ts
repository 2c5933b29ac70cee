/**
 * Menu digits on alert pages (dozvon's own Opsgenie-style alerts): 1 acknowledges the alert,
 * 2 escalates it to the next step now, 3 hands it to someone else, 4 closes it. The alerts
 * module does the work; the call only says what happened.
 */
import type { Notification } from '../db/notifications-repo';
import type { ActionName, ActionResult } from '../oncall/actions';

/** The notifications' `source` for alert pages: the menu and the links recognise them by it. */
export const ALERT_SOURCE = 'alert';

export interface AlertPageActions {
  act(action: ActionName, pages: readonly Notification[], actor: { name: string; email?: string }): Promise<Omit<ActionResult, 'action'>>;
}
