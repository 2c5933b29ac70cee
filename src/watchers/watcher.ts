/**
 * The watchers run as a declared list with start/stop (heartbeats, self-checks, peer ping,
 * and later shift notices): the composition root starts them in order and stops them in reverse.
 */
export interface Watcher {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export async function startAll(watchers: readonly Watcher[]): Promise<void> {
  for (const w of watchers) await w.start();
}

export async function stopAll(watchers: readonly Watcher[]): Promise<void> {
  for (const w of [...watchers].reverse()) await w.stop();
}
