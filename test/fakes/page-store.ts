import type { PageStore } from '../../src/oncall/page-store';

interface Entry {
  alertGroupId: string;
  at: number;
}

/** PageStore in memory, for tests of the correlator and the actions (production: DbPageStore). */
export class FakePageStore implements PageStore {
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
