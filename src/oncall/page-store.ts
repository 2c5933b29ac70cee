/**
 * Pages we created ourselves (direct paging returns the alert group synchronously). OnCall's
 * make_call for such a page names only the user, so we remember (email, alert group) and match
 * the next call for that email.
 */
export interface PageStore {
  remember(email: string, alertGroupId: string, at: number): Promise<void>;
  /** The oldest remembered page for the email within maxAgeMs before `now`, removed once taken. */
  take(email: string, now: number, maxAgeMs: number): Promise<string | null>;
}
