/**
 * Group commit: requests that arrive while a transaction is being written wait and are
 * written together in the next one, so N concurrent pages cost one fsync instead of N.
 * Every caller is answered only after the transaction holding its row has committed.
 *
 * An idle batcher starts its first transaction on the next turn of the event loop, not at once:
 * requests that arrive together (twenty make_calls read from their sockets in one poll, the
 * attempts of twenty calls launched by one claim) then share the first transaction. Started at
 * once, the first went alone and the other nineteen waited for it to commit before theirs began.
 */
export type BatchFlush<I, O> = (items: I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly flush: BatchFlush<I, O>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running || this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const out = await this.flush(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(out[i]));
        } catch (e) {
          // The whole transaction rolled back: nobody in it was stored, everybody hears so.
          batch.forEach((w) => w.reject(e));
        }
      }
    } finally {
      this.running = false;
    }
  }
}
