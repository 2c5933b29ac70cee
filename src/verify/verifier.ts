/**
 * Phone verification (docs/verification.md): a 6-digit code by SMS or read out in a call, valid 10 minutes,
 * one send per person per minute, five tries. While a code is out, the person's number counts as
 * unverified, so the cloud users API reports `is_phone_number_verified: false` until the code comes
 * back. A code that never reached the person (gateway refused it, call not answered) puts the old
 * flag back: a gateway blip must not silently stop OnCall from paging someone.
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { AppError, errorMessage, NotFoundError } from '../core/errors';
import { maskEmail, maskPhone } from '../core/mask';
import { randomName } from '../core/ids';
import type { Db } from '../db/knex';
import { UsersRepo } from '../directory/users-repo';
import type { AuditLog } from '../audit/repo';
import type { User } from '../directory/user';
import { normalisePhone } from '../directory/phone';
import { CodeHasher, generateCode, isCodeShaped } from './code';
import { VerifyLinks } from './links';
import { PhoneVerificationsRepo, VerificationMethod, VerificationRow } from './repo';
import { sendCodeBySms, SmsRoute, smsRecipient } from './sms';
import type { CallVerifyResult, CodeCaller } from './call';
import type { ConfirmResult } from './confirm';

export const CODE_TTL_MS = 10 * 60_000;
export const RESEND_AFTER_MS = 60_000;
export const MAX_ATTEMPTS = 5;

export interface StartResult {
  method: VerificationMethod;
  expiresAt: number;
  /** The confirmation page (SMS method). */
  link?: string;
  /** Call method: resolves when the call is over; never rejects. */
  call?: Promise<CallVerifyResult>;
}

export type LinkView =
  | { status: 'invalid' | 'expired' | 'gone' }
  | { status: 'pending' | 'confirmed' | 'locked'; phone: string; name: string; attemptsLeft: number };

export interface PhoneVerifierDeps {
  db: Db;
  users: UsersRepo;
  clock: Clock;
  logger: Logger;
  /** HMAC key for code hashes and links (the link secret). */
  secret: string;
  /** DOZVON_PUBLIC_URL: links are `<publicUrl>verify/<token>`. */
  publicUrl: string;
  /** The SMS senders (SenderSet fits); null when none are configured. */
  sms: SmsRoute | null;
  /** Places verification calls; null when telephony is not configured. */
  caller: CodeCaller | null;
  /** Who sent a code and how each confirmation ended; a confirmed number commits with its entry. */
  audit: AuditLog;
}

/** The person's own link is not signed in: the entry names the link as the one who acted. */
export const LINK_ACTOR = 'verification link';

export class PhoneVerifier {
  private readonly repo: PhoneVerificationsRepo;
  private readonly hasher: CodeHasher;
  readonly links: VerifyLinks;
  private readonly log: Logger;
  private readonly stopping = new AbortController();
  private readonly calls = new Set<Promise<CallVerifyResult>>();

  constructor(private readonly deps: PhoneVerifierDeps) {
    this.repo = new PhoneVerificationsRepo(deps.db);
    this.hasher = new CodeHasher(deps.secret);
    this.links = new VerifyLinks(deps.secret, deps.publicUrl, deps.clock);
    this.log = deps.logger.child({ module: 'verify' });
  }

  /** SMS when a sender takes the number, else a call (landlines and SIP extensions cannot read SMS). */
  defaultMethod(user: User): VerificationMethod {
    return this.deps.sms && user.phone?.startsWith('+') && this.deps.sms.forRecipient('sms', smsRecipient(user)).length > 0
      ? 'sms'
      : 'call';
  }

  /** `phone`: which of the person's numbers to verify (each is verified on its own); the first by default. */
  async start(
    actor: string,
    email: string,
    opts: { method?: VerificationMethod; signal?: AbortSignal; phone?: string } = {},
  ): Promise<StartResult> {
    const found = await this.deps.users.getByEmail(email);
    if (!found) throw new NotFoundError(`user ${email}`);
    const user = onePhone(found, opts.phone);
    const method = opts.method ?? this.defaultMethod(user);
    if (method === 'sms' && !this.deps.sms)
      throw new AppError('verify-no-sms-sender', 'no SMS sender is configured (senders.sms); verify by call instead');
    if (method === 'call' && !this.deps.caller)
      throw new AppError('verify-no-telephony', 'telephony is not configured (DOZVON_ARI_URL); verify by SMS instead');
    const code = generateCode();
    const row = await this.reserve(user, method, code);
    const which = found.phones.findIndex((p) => p.number === user.phone);
    // Which number is named only when there is a choice, by its place in the list (never the number).
    const detail = found.phones.length > 1 ? { method, phone: which + 1 } : { method };
    await this.deps.audit.record({ actor, action: 'user.verify', target: user.email, detail });
    const log = this.log.child({ email: maskEmail(user.email), phone: maskPhone(user.phone), method });
    log.info({ expiresAt: new Date(row.expiresAt).toISOString() }, 'verification code issued');
    if (method === 'sms') {
      const link = this.links.url(row.linkId, row.expiresAt);
      await this.markPending(user);
      try {
        await sendCodeBySms(this.deps.sms!, user, code, link, opts.signal);
      } catch (e) {
        await this.undeliverable(row, log, e, true);
        throw e;
      }
      log.info('verification SMS accepted');
      return { method, expiresAt: row.expiresAt, link };
    }
    const { done } = await this.placeCall(user, row, code, log, opts.signal);
    return { method, expiresAt: row.expiresAt, call: done };
  }

  async confirm(actor: string, email: string, code: string): Promise<ConfirmResult> {
    const user = await this.deps.users.getByEmail(email);
    if (!user) throw new NotFoundError(`user ${email}`);
    return this.audited(actor, user, await this.check(await this.repo.forUser(user.id), user, code, actor));
  }

  /** The link's POST: the token names the code, the form carries the digits. */
  async confirmLink(token: string, code: string): Promise<ConfirmResult | { status: 'invalid' | 'link-expired' }> {
    const v = this.links.check(token);
    if (!v.ok) return { status: v.reason === 'expired' ? 'link-expired' : 'invalid' };
    const row = await this.repo.byLinkId(v.verificationId);
    const user = row ? await this.deps.users.getById(row.userId) : null;
    if (!row || !user) return { status: 'none', attemptsLeft: 0 };
    return this.audited(LINK_ACTOR, user, await this.check(row, user, code, LINK_ACTOR));
  }

  /** Every way a confirmation ends is on record; `ok` was recorded with the flag it set. */
  private async audited(actor: string, user: User, c: ConfirmResult): Promise<ConfirmResult> {
    if (c.status !== 'ok')
      await this.deps.audit.record({ actor, action: 'user.verify.confirm', target: user.email, detail: { status: c.status } });
    return c;
  }

  /** True when the link's signature holds and it has not expired: enough to read its form. */
  checkLink(token: string): boolean {
    return this.links.check(token).ok;
  }

  /** What the link's GET page shows; reads only. */
  async describeLink(token: string): Promise<LinkView> {
    const v = this.links.check(token);
    if (!v.ok) return { status: v.reason };
    const row = await this.repo.byLinkId(v.verificationId);
    const user = row ? await this.deps.users.getById(row.userId) : null;
    if (!row || !user || !hasNumber(user, row.phone) || row.state === 'failed') return { status: 'gone' };
    if (row.state === 'pending' && this.deps.clock.now() >= row.expiresAt) return { status: 'expired' };
    return { status: row.state, phone: maskPhone(row.phone), name: user.name, attemptsLeft: Math.max(0, MAX_ATTEMPTS - row.attempts) };
  }

  /** Hangs up running verification calls (app shutdown). */
  async stop(): Promise<void> {
    this.stopping.abort(new AppError('shutting-down', 'dozvon is stopping', { temporary: true }));
    await Promise.all([...this.calls]);
  }

  private async reserve(user: User, method: VerificationMethod, code: string): Promise<VerificationRow> {
    const now = this.deps.clock.now();
    const linkId = randomName(12);
    const ok = await this.repo.reserve(
      {
        userId: user.id,
        linkId,
        phone: user.phone!,
        method,
        codeHash: this.hasher.hash(linkId, code),
        wasVerified: user.phoneVerified,
        sentAt: now,
        expiresAt: now + CODE_TTL_MS,
      },
      now - RESEND_AFTER_MS,
    );
    const row = await this.repo.forUser(user.id);
    if (!ok || !row || row.linkId !== linkId) {
      const retryAt = (row?.sentAt ?? now) + RESEND_AFTER_MS;
      const waitS = Math.max(1, Math.ceil((retryAt - now) / 1000));
      throw new AppError(
        'verify-too-soon',
        `a code was sent to ${user.email} less than a minute ago; try again in ${waitS} s (at ${new Date(retryAt).toISOString()})`,
        { temporary: true, details: { retryAt } },
      );
    }
    return row;
  }

  private async placeCall(
    user: User,
    row: VerificationRow,
    code: string,
    log: Logger,
    signal?: AbortSignal,
  ): Promise<{ done: Promise<CallVerifyResult> }> {
    const abort = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    let started: { result: Promise<CallVerifyResult> };
    try {
      started = await this.deps.caller!.start({
        user,
        code,
        signal: abort,
        onAnswered: () => this.markPending(user),
        // The person typing the code into their own phone is who acts here.
        confirm: async (digits) => this.audited('verification call', user, await this.check(row, user, digits, 'verification call')),
        log,
      });
    } catch (e) {
      await this.undeliverable(row, log, e, true);
      throw e;
    }
    const done = started.result
      .then(async (r) => {
        log.info({ outcome: r.outcome, cause: r.cause }, 'verification call over');
        // Nobody heard the code: void it, but keep the minute between calls (a ringing phone annoys).
        if (!r.answered) await this.undeliverable(row, log, new Error(r.cause), false);
        return r;
      })
      .catch((e: unknown): CallVerifyResult => {
        log.error({ err: errorMessage(e) }, 'verification call bookkeeping failed');
        return { outcome: 'failed', answered: false, cause: errorMessage(e) };
      });
    this.calls.add(done);
    void done.finally(() => this.calls.delete(done));
    return { done };
  }

  private async check(row: VerificationRow | null, user: User, code: string, actor: string): Promise<ConfirmResult> {
    const now = this.deps.clock.now();
    const none: ConfirmResult = { status: 'none', attemptsLeft: 0 };
    if (!row || !hasNumber(user, row.phone)) return none;
    const current = (await this.repo.forUser(user.id)) ?? row;
    if (current.linkId !== row.linkId) return none;
    if (current.state === 'locked') return { status: 'too-many-attempts', attemptsLeft: 0 };
    if (current.state !== 'pending' || !current.codeHash) return none;
    if (now >= current.expiresAt) return { status: 'expired', attemptsLeft: 0 };
    // A cut or mistyped entry cannot be a guess at the code, so it costs no try.
    if (!isCodeShaped(code)) return { status: 'wrong', attemptsLeft: MAX_ATTEMPTS - current.attempts };
    if (!(await this.repo.countAttempt(current.id, MAX_ATTEMPTS, now))) {
      const again = await this.repo.forUser(user.id);
      return again?.state === 'pending' || again?.state === 'locked' ? { status: 'too-many-attempts', attemptsLeft: 0 } : none;
    }
    if (this.hasher.matches(current.linkId, code, current.codeHash)) {
      if (!(await this.repo.settle(current.id, 'confirmed', now))) return none;
      // Re-read: the number may have changed while the code was out, and only the old one was proven.
      const fresh = await this.deps.users.getById(user.id);
      if (!fresh || !hasNumber(fresh, current.phone)) return none;
      await this.deps.db.transaction(async (tx) => {
        await new UsersRepo(tx, () => this.deps.clock.now()).setPhoneVerified(fresh.id, current.phone, true);
        await this.deps.audit.record({ actor, action: 'user.verify.confirm', target: fresh.email, detail: { status: 'ok' } }, tx);
      });
      this.log.info({ email: maskEmail(user.email), phone: maskPhone(current.phone), method: current.method }, 'phone number verified');
      return { status: 'ok', attemptsLeft: MAX_ATTEMPTS - current.attempts - 1 };
    }
    const tries = (await this.repo.forUser(user.id))?.attempts ?? MAX_ATTEMPTS;
    if (tries >= MAX_ATTEMPTS) {
      await this.repo.settle(current.id, 'locked', now);
      this.log.warn({ email: maskEmail(user.email) }, 'verification code locked after too many wrong tries');
      return { status: 'too-many-attempts', attemptsLeft: 0 };
    }
    return { status: 'wrong', attemptsLeft: MAX_ATTEMPTS - tries };
  }

  /** `user` as onePhone() gives it: the number the code is for. */
  private async markPending(user: User): Promise<void> {
    if (user.phone && user.phoneVerified) await this.deps.users.setPhoneVerified(user.id, user.phone, false);
  }

  /** The code never reached the person: void it and put back the flag it had before. */
  private async undeliverable(row: VerificationRow, log: Logger, err: unknown, releaseSendSlot: boolean): Promise<void> {
    log.warn({ err: errorMessage(err) }, 'verification code not delivered');
    const now = this.deps.clock.now();
    if (!(await this.repo.settle(row.id, 'failed', now, { releaseSendSlot }))) return;
    const user = await this.deps.users.getById(row.userId);
    if (user && row.wasVerified && user.phones.some((p) => p.number === row.phone && !p.verified))
      await this.deps.users.setPhoneVerified(user.id, row.phone, true);
  }
}

function hasNumber(user: User, phone: string): boolean {
  return user.phones.some((p) => p.number === phone);
}

/**
 * The person as the code's sender and caller see them: `phone` and `phoneVerified` are the one
 * number being verified (a later phone on the list, when asked for), so the SMS and the call go there.
 */
function onePhone(user: User, number: string | undefined): User {
  if (user.phones.length === 0) throw new AppError('verify-no-phone', `${user.email} has no phone number to verify; set one first`);
  let wanted = user.phones[0];
  if (number !== undefined) {
    const n = normalisePhone(number);
    const found = user.phones.find((p) => p.number === n);
    if (!found) throw new AppError('verify-not-their-phone', `${maskPhone(n)} is not one of ${user.email}'s phones`, { temporary: false });
    wanted = found;
  }
  return { ...user, phone: wanted.number, phoneVerified: wanted.verified };
}
