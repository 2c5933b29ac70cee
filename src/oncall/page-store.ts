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

interface Entry {
  alertGroupId: string;
  at: number;
}

/** Bounded in-memory store: enough for one process; pages older than the window are useless anyway. */
export class InMemoryPageStore implements PageStore {
  private readonly byEmail = new Map<string, Entry[]>();

  constructor(private readonly maxPerEmail = 20) {}

  async remember(email: string, alertGroupId: string, at: number): Promise<void> {
    const key = email.toLowerCase();
    const list = (this.byEmail.get(key) ?? []).filter((e) => e.alertGroupId !== alertGroupId);
    list.push({ alertGroupId, at });
    this.byEmail.set(key, list.slice(-this.maxPerEmail));
  }

  async take(email: string, now: number, maxAgeMs: number): Promise<string | null> {
    const key = email.toLowerCase();
    const fresh = (this.byEmail.get(key) ?? []).filter((e) => now - e.at <= maxAgeMs && e.at <= now + 60_000);
    const first = fresh.shift();
    if (fresh.length) this.byEmail.set(key, fresh);
    else this.byEmail.delete(key);
    return first ? first.alertGroupId : null;
  }
}
