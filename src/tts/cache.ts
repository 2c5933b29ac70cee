/**
 * Which rendered files we keep: least recently used goes first once the byte or entry
 * budget is exceeded. Lookups are a Map get (no I/O); concurrent misses for the same key
 * share one render.
 */
export interface CacheOptions {
  maxBytes: number;
  maxEntries: number;
  /** Called for each evicted file; must not throw (the cache does not wait for it). */
  onEvict: (file: string) => void;
}

export class RenderCache {
  private entries = new Map<string, number>(); // file → bytes, in LRU order (oldest first)
  private inflight = new Map<string, Promise<void>>();
  private totalBytes = 0;

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

  /** Runs make() once per file however many callers ask at the same time. */
  once(file: string, make: () => Promise<void>): { promise: Promise<void>; joined: boolean } {
    const running = this.inflight.get(file);
    if (running) return { promise: running, joined: true };
    const promise = make().finally(() => this.inflight.delete(file));
    this.inflight.set(file, promise);
    return { promise, joined: false };
  }

  private evict(keep: string): void {
    for (const [file, bytes] of this.entries) {
      if (this.totalBytes <= this.opts.maxBytes && this.entries.size <= this.opts.maxEntries) break;
      if (file === keep) continue;
      this.entries.delete(file);
      this.totalBytes -= bytes;
      this.opts.onEvict(file);
    }
  }
}
