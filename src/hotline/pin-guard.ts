/**
 * Wrong hotline PINs counted across calls, in the database so every instance and a restart see
 * them: per caller number (5 an hour) and in all (30 an hour). Past its limit a number may not
 * enter PINs until its failures age out of the hour; past the overall limit neither may any
 * caller the directory does not know (known callers keep their own number's allowance, so an
 * attack from many numbers does not lock the engineers out). The admins are told once per hour
 * per limit reached.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import type { Db } from '../db/knex';
import { KvRepo } from '../db/kv-repo';
import { normalisePhone } from '../directory/phone';

export interface PinCaller {
  /** Caller ID as delivered; null when withheld. */
  number: string | null;
  /** The caller ID matched a directory user. */
  known: boolean;
}

export type PinGate = { ok: true } | { ok: false; reason: 'number' | 'everyone' };

/** What the hotline session needs; the database implementation below is the production one. */
export interface PinGuard {
  /** May this caller enter a PIN now? */
  check(caller: PinCaller): Promise<PinGate>;
  /** Records a wrong PIN; reaching a limit tells the admins (once an hour per limit). */
  failed(caller: PinCaller): Promise<void>;
}

export interface PinLimits {
  perNumber: number;
  overall: number;
  windowMs: number;
}

export const DEFAULT_PIN_LIMITS: PinLimits = { perNumber: 5, overall: 30, windowMs: 3600_000 };

export interface DbPinGuardDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Tells `admins:` (the composition root pages them over every text channel, as self-checks do). */
  notifyAdmins: (text: string) => Promise<void>;
  limits?: Partial<PinLimits>;
}

export class DbPinGuard implements PinGuard {
  private readonly limits: PinLimits;
  private readonly kv: KvRepo;

  constructor(private readonly d: DbPinGuardDeps) {
    this.limits = { ...DEFAULT_PIN_LIMITS, ...d.limits };
    this.kv = new KvRepo(d.db, () => d.clock.now());
  }

  async check(caller: PinCaller): Promise<PinGate> {
    const since = this.d.clock.now() - this.limits.windowMs;
    if ((await this.count(since, callerKey(caller.number))) >= this.limits.perNumber) return { ok: false, reason: 'number' };
    if (!caller.known && (await this.count(since)) >= this.limits.overall) return { ok: false, reason: 'everyone' };
    return { ok: true };
  }

  async failed(caller: PinCaller): Promise<void> {
    const now = this.d.clock.now();
    const since = now - this.limits.windowMs;
    const key = callerKey(caller.number);
    await this.d.db('hotline_pin_failures').insert({ caller_key: key, known_caller: caller.known, at: now });
    // Rows older than the window count for nothing.
    await this.d.db('hotline_pin_failures').where('at', '<', since).del();
    if ((await this.count(since, key)) >= this.limits.perNumber) {
      await this.tellOnce(
        `hotline-pins:${key.slice(0, 40)}`,
        `dozvon hotline: ${this.limits.perNumber} wrong PINs within an hour from ${caller.number ? maskPhone(caller.number) : 'a withheld number'}. That number cannot enter PINs until its failures are an hour old.`,
      );
    }
    if ((await this.count(since)) >= this.limits.overall) {
      await this.tellOnce(
        'hotline-pins:all',
        `dozvon hotline: ${this.limits.overall} wrong PINs within an hour from all callers. Callers the directory does not know cannot enter PINs until the failures are an hour old; engineers calling from their own phones still can.`,
      );
    }
  }

  private async count(since: number, key?: string): Promise<number> {
    const q = this.d.db('hotline_pin_failures').where('at', '>=', since);
    if (key !== undefined) q.andWhere({ caller_key: key });
    const row = (await q.count<{ n: number | string }[]>({ n: '*' }))[0];
    return Number(row?.n ?? 0);
  }

  /** One notice per limit per window, across instances (the time of the last is kept in the kv table). */
  private async tellOnce(marker: string, text: string): Promise<void> {
    const now = this.d.clock.now();
    const last = Number(await this.kv.get(marker));
    if (Number.isFinite(last) && last > 0 && now - last < this.limits.windowMs) return;
    await this.kv.set(marker, String(now));
    this.d.logger.warn({ limit: marker === 'hotline-pins:all' ? 'overall' : 'number' }, 'hotline PIN limit reached: admins told');
    await this.d
      .notifyAdmins(text)
      .catch((err: unknown) => this.d.logger.error({ err: errorMessage(err) }, 'could not tell the admins about the hotline PIN limit'));
  }
}

/** The number as stored in the failure table: a hash of its normalised form, or "anonymous". */
export function callerKey(number: string | null): string {
  const raw = (number ?? '').trim();
  if (raw === '' || /^(anonymous|unknown|restricted|private)$/i.test(raw)) return 'anonymous';
  let norm = raw;
  try {
    norm = normalisePhone(raw);
  } catch {
    // Not a number the directory could hold: counted as delivered.
  }
  return createHash('sha256').update(`dozvon-hotline-caller:${norm}`).digest('hex');
}
