/**
 * Every wait of a benchmark has a deadline: a run that cannot finish (a call that never rings,
 * a phone that never answers, a server that does not stop) fails with what it was waiting for,
 * instead of holding the terminal and the machine with it.
 */
export async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `cond` until it holds; fails after `ms` naming `what`. */
export async function waitUntil(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A WebSocket's upgrade, with a deadline: an Asterisk that never answers it fails the run naming `what`. */
export function opened(ws: { once(ev: 'open' | 'error', fn: (e?: unknown) => void): unknown }, what: string): Promise<void> {
  return within(
    10_000,
    what,
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
  );
}
