/** What every watcher offers the composition root, which starts them in order and stops them in reverse (compose/lifecycle.ts). */
export interface Watcher {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}
