/**
 * Snoozes that ended, as the escalation runner finds and claims them. The end time stays on the
 * alert until a runner has acted on it, so an end passed while no runner was up is still seen.
 */
import type { Db, Tx } from '../db/knex';

/** Alerts whose snooze has ended and has not been acted on yet, oldest end first. */
export async function endedSnoozes(db: Db, now: number, limit: number): Promise<{ id: string; until: number }[]> {
  const rows = (await db('alerts')
    .select('id', 'snoozed_until')
    .whereNotNull('snoozed_until')
    .where('snoozed_until', '<=', now)
    .orderBy('snoozed_until')
    .limit(limit)) as { id: string; snoozed_until: number | string }[];
  return rows.map((r) => ({ id: r.id, until: Number(r.snoozed_until) }));
}

/** The earliest snooze end still to act on, or null. */
export async function nextSnoozeEnd(db: Db): Promise<number | null> {
  const r = (await db('alerts').whereNotNull('snoozed_until').min({ m: 'snoozed_until' }).first()) as
    { m: number | string | null } | undefined;
  return r?.m === null || r?.m === undefined ? null : Number(r.m);
}

/** Clears the snooze if it is still the one that ended (a new snooze moves the end and is left alone). */
export async function claimSnoozeEnd(tx: Tx, id: string, until: number, now: number): Promise<boolean> {
  return (await tx('alerts').where({ id, snoozed_until: until }).update({ snoozed_until: null, updated_at: now })) > 0;
}
