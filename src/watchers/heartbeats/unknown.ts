/** Pings for names that have no heartbeat, kept in memory for the operator (bounded). */
export interface UnknownPing {
  name: string;
  count: number;
  firstAt: number;
  lastAt: number;
  source: string;
}

const MAX_NAMES = 100;

export class UnknownPings {
  private readonly byName = new Map<string, UnknownPing>();

  record(name: string, source: string, now: number): void {
    const seen = this.byName.get(name);
    if (seen) {
      seen.count++;
      seen.lastAt = now;
      seen.source = source;
      return;
    }
    if (this.byName.size >= MAX_NAMES) {
      // Forget the stalest name so a scan of random names cannot grow memory.
      const stalest = [...this.byName.values()].sort((a, b) => a.lastAt - b.lastAt)[0];
      this.byName.delete(stalest.name);
    }
    this.byName.set(name, { name: name.slice(0, 200), count: 1, firstAt: now, lastAt: now, source });
  }

  forget(name: string): void {
    this.byName.delete(name);
  }

  list(): UnknownPing[] {
    return [...this.byName.values()].sort((a, b) => b.lastAt - a.lastAt).map((u) => ({ ...u }));
  }
}
