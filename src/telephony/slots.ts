/**
 * At most `max` tasks at once; the rest wait their turn in arrival order. Asterisk's HTTP server
 * listens with a backlog of 10 (main/tcptls.c, not configurable) and starts a thread per
 * connection: a burst that opens more connections than that at once loses SYNs, and each lost
 * one waits the kernel's 1 s retransmit. Measured with 50 pages at once on a real Asterisk 22:
 * make_call → originate p99 1.2–1.4 s with every originate in flight at once, 0.27–0.28 s
 * with eight (their keep-alive connections carry the whole burst).
 */
export class Slots {
  private busy = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new RangeError('slots need a positive size');
  }

  get inUse(): number {
    return this.busy;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.busy++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next in line: a newcomer cannot take it in between.
      if (next) next();
      else this.busy--;
    }
  }
}
