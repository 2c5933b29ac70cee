/**
 * Which rendered files we keep: least recently used goes first once the byte or entry
 * budget is exceeded. Lookups are a Map get (no I/O); concurrent misses for the same key
 * share one render.
 *
 * Pins: a file handed out for a queued call must still exist when the call plays it, however
 * many other texts are rendered meanwhile. pin() takes a lease (released by hand or after its
 * TTL, 1 hour by default); eviction skips leased files, so the budget may be exceeded for as
 * long as leases hold, and is enforced again on the next add() or release.
 */
export const DEFAULT_PIN_TTL_MS = 60 * 60 * 1000;

export interface Lease {
  /** Ends the lease; calling it again does nothing. */
  release(): void;
}

export interface CacheOptions {
  maxBytes: number;
  maxEntries: number;
  /** Called for each evicted file; must not throw (the cache does not wait for it). */
  onEvict: (file: string) => void;
  /** Lease length when pin() is not told (default 1 hour). */
  pinTtlMs?: number;
  /** For tests; Date.now by default. */
  now?: () => number;
}

export class RenderCache {
  private entries = new Map<string, number>(); // file → bytes, in LRU order (oldest first)
  private inflight = new Map<string, Promise<void>>();
  private totalBytes = 0;
  /** file → expiry time of each live lease. */
  private leases = new Map<string, Set<{ until: number }>>();

  constructor(private readonly opts: CacheOptions) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.totalBytes };
  }

  has(file: string): boolean {
    const bytes = this.entries.get(file);
    if (bytes === undefined) return false;
    this.entries.delete(file);
    this.entries.set(file, bytes);
    return true;
  }

  add(file: string, bytes: number): void {
    const old = this.entries.get(file);
    if (old !== undefined) {
      this.totalBytes -= old;
      this.entries.delete(file);
    }
    this.entries.set(file, bytes);
    this.totalBytes += bytes;
    this.evict(file);
  }

  /**
   * Keeps `file` from being evicted until the lease is released or ttlMs passes. The file need
   * not be in the cache yet: pin before rendering, and the fresh file is safe from its first add().
   */
  pin(file: string, ttlMs = this.opts.pinTtlMs ?? DEFAULT_PIN_TTL_MS): Lease {
    const lease = { until: this.now() + ttlMs };
    this.pinned(file); // forgets this file's expired leases, so a hot file's set stays small
    let set = this.leases.get(file);
    if (!set) this.leases.set(file, (set = new Set()));
    set.add(lease);
    let done = false;
    return {
      release: () => {
        if (done) return;
        done = true;
        const live = this.leases.get(file);
        live?.delete(lease);
        if (live?.size === 0) this.leases.delete(file);
        this.evict(null);
      },
    };
  }

  /** Whether a live (unreleased, unexpired) lease holds the file. */
  pinned(file: string): boolean {
    const set = this.leases.get(file);
    if (!set) return false;
    const now = this.now();
    // Leases mostly share one TTL, so the oldest expire first: drop them until a live one shows.
    for (const l of set) {
      if (l.until > now) return true;
      set.delete(l);
    }
    this.leases.delete(file);
    return false;
  }

  /** Runs make() once per file however many callers ask at the same time. */
  once(file: string, make: () => Promise<void>): { promise: Promise<void>; joined: boolean } {
    const running = this.inflight.get(file);
    if (running) return { promise: running, joined: true };
    const promise = make().finally(() => this.inflight.delete(file));
    this.inflight.set(file, promise);
    return { promise, joined: false };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private evict(keep: string | null): void {
    for (const [file, bytes] of this.entries) {
      if (this.totalBytes <= this.opts.maxBytes && this.entries.size <= this.opts.maxEntries) break;
      if (file === keep || this.pinned(file)) continue;
      this.entries.delete(file);
      this.totalBytes -= bytes;
      this.opts.onEvict(file);
    }
  }
}
