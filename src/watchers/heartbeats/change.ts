/**
 * How an operator's change is written: with a record (its audit entry) in one transaction, the
 * change's effects (timers, pages, listeners) held until the commit, so a change rolled back
 * leaves no trace; without one, straight through the repository.
 */
import type { Tx } from '../../db/knex';
import type { Heartbeat } from './model';
import type { HeartbeatsRepo } from './repo';

/** A heartbeat before and after one change; null where it did not, or no longer does, exist. */
export interface HeartbeatChange {
  before: Heartbeat | null;
  after: Heartbeat | null;
}

/** Written in the change's own transaction (its audit entry): when it fails, the change is undone. */
export type ChangeRecord = (change: HeartbeatChange, tx: Tx) => Promise<void>;

/** Where a change writes, and how its effects wait for the commit. */
export interface Scope {
  repo: HeartbeatsRepo;
  after(effect: () => void): void;
}

/** Writes at once, effects at once: the watcher's own transitions (pings, timers, declarations). */
export function directScope(repo: HeartbeatsRepo): Scope {
  return { repo, after: (effect) => effect() };
}

export async function writeChange(
  repo: HeartbeatsRepo,
  fn: (s: Scope) => Promise<HeartbeatChange>,
  record?: ChangeRecord,
): Promise<HeartbeatChange> {
  if (!record) return fn(directScope(repo));
  const effects: (() => void)[] = [];
  const change = await repo.transaction(async (txRepo, tx) => {
    const c = await fn({ repo: txRepo, after: (effect) => void effects.push(effect) });
    await record(c, tx);
    return c;
  });
  for (const effect of effects) effect();
  return change;
}
