/** The lifecycle parts that are one line of wiring each: the schema, the speech cache, an engine, the "serving" line. */
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log';
import type { Db } from '../db/knex';
import { migrate } from '../db/migrations';
import type { TtsSystem } from '../tts/index';
import type { Wakeup } from '../dispatch/wakeup';
import type { Part } from './lifecycle';

/** The writer and, when they are separate, the read-only connections: readers close first. */
export function databasePart(db: Db, reads: Db): Part {
  return {
    name: 'database',
    stop: async () => {
      if (reads !== db) await reads.destroy();
      await db.destroy();
    },
  };
}

export function schemaPart(db: Db, logger: Logger): Part {
  return {
    name: 'schema',
    start: async () => migrate(db).then((applied) => applied.length && logger.info({ applied }, 'database migrated')),
  };
}

/** A cache that cannot be prepared is not fatal: speech is then rendered on demand. */
export function speechPart(tts: TtsSystem, logger: Logger): Part {
  const warn = (e: unknown) => logger.warn({ err: String(e) }, 'speech cache could not be prepared; rendering on demand');
  return { name: 'speech', start: () => tts.init().catch(warn), stop: () => tts.close() };
}

/** `enabled: false` builds the engine but leaves it idle (intake-only tests). */
export function enginePart(
  name: string,
  engine: { start(subscribe: Wakeup['subscribe']): unknown; stop(): unknown },
  wakeup: Wakeup,
  enabled: boolean,
): Part {
  return { name, start: () => enabled && engine.start((fn) => wakeup.subscribe(fn)), stop: () => engine.stop() };
}

export function logServing(logger: Logger, addr: AddressInfo, d: { db: string; instance: string; telephony: string }): void {
  logger.info({ listen: `${addr.address}:${addr.port}`, db: d.db, instance: d.instance, telephony: d.telephony }, 'dozvon serving');
}
