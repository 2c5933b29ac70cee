/**
 * The app's parts as one declared list: started in order, stopped in reverse, so that nothing
 * is stopped while something started after it may still use it.
 */
import type { Logger } from '../core/log';
import { errorMessage } from '../core/errors';

export interface Part {
  name: string;
  /** Absent: the part holds its resource from the moment it is built (a database handle), so it is always released. */
  start?(): unknown;
  stop?(): unknown;
}

/** A service with start and stop under the name the logs use for it. */
export function partOf(name: string, service: { start(): unknown; stop(): unknown }): Part {
  return { name, start: () => service.start(), stop: () => service.stop() };
}

export class Lifecycle {
  private readonly live = new Set<Part>();

  constructor(
    private readonly parts: readonly Part[],
    private readonly logger: Logger,
  ) {
    for (const p of parts) if (!p.start) this.live.add(p);
  }

  /** A part that fails to start stops the parts started before it; what is held from the build waits for stop(). */
  async start(): Promise<void> {
    for (const p of this.parts) {
      if (!p.start || this.live.has(p)) continue;
      try {
        await p.start();
      } catch (e) {
        this.logger.error({ part: p.name, err: errorMessage(e) }, 'start failed; stopping what was started');
        await this.release((q) => q.start !== undefined);
        throw e;
      }
      this.live.add(p);
    }
  }

  /** Stops every live part even when one of them fails, then reports the first failure. Safe to call twice. */
  async stop(): Promise<void> {
    const failure = await this.release(() => true);
    if (failure) throw failure.error;
  }

  private async release(which: (p: Part) => boolean): Promise<{ error: unknown } | null> {
    let failure: { error: unknown } | null = null;
    for (const p of [...this.parts].reverse()) {
      if (!this.live.has(p) || !which(p)) continue;
      this.live.delete(p);
      try {
        await p.stop?.();
      } catch (e) {
        this.logger.error({ part: p.name, err: errorMessage(e) }, 'stop failed');
        failure ??= { error: e };
      }
    }
    return failure;
  }
}
