/**
 * The person page's phone verification: what the phone_verifications row says (a code out, used,
 * locked, undelivered), the buttons that send a code by SMS or call through the running
 * PhoneVerifier (as `dozvon users verify` does over the admin API), and the form that checks the
 * code the person read back.
 */
import type { Request, Response, RouterT } from '../../http/express';
import type { User } from '../../directory/user';
import { AppError, NotFoundError, errorMessage } from '../../core/errors';
import { maskEmail } from '../../core/mask';
import { PhoneVerificationsRepo, type VerificationRow } from '../../verify/repo';
import { MAX_ATTEMPTS } from '../../verify';
import type { ConsoleDeps } from '../deps';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { ctxOf } from '../context';
import { field, form, href, notice, when, words } from '../ui';
import { TEXTS } from './texts';
import { verifyBlocked } from './reach';
import { personOr404 } from './view';
import { html, type Html } from '../../web/html';

/** The latest code for this person's current number, if any. */
export async function verificationOf(deps: ConsoleDeps, u: User): Promise<VerificationRow | null> {
  if (!u.phone) return null;
  const row = await new PhoneVerificationsRepo(deps.db).forUser(u.id);
  return row && row.phone === u.phone ? row : null;
}

function statusText(
  ctx: ConsoleContext,
  t: Translate,
  u: User,
  row: VerificationRow | null,
): { text: Html; tone: string; pending: boolean } {
  if (!u.phone) return { text: html`${t('verify.noPhone')}`, tone: '', pending: false };
  const method = row ? t(`verify.by.${row.method}`) : '';
  if (row?.state === 'pending' && ctx.now < row.expiresAt) {
    return {
      text: html`${t('verify.pending', { method, left: Math.max(0, MAX_ATTEMPTS - row.attempts) })} ${when(ctx, row.sentAt)}; ${t('verify.until')} ${when(ctx, row.expiresAt)}.`,
      tone: 'warn',
      pending: true,
    };
  }
  if (row?.state === 'pending') return { text: html`${t('verify.expired', { method })}`, tone: 'warn', pending: false };
  if (row?.state === 'locked') return { text: html`${t('verify.locked')}`, tone: 'bad', pending: false };
  if (u.phoneVerified && row?.state === 'confirmed')
    return { text: html`${t('verify.confirmed', { method })} ${when(ctx, row.confirmedAt)}.`, tone: 'good', pending: false };
  if (u.phoneVerified) return { text: html`${t('verify.byOperator')}`, tone: 'good', pending: false };
  if (row?.state === 'failed') return { text: html`${t('verify.failed', { method })}`, tone: 'bad', pending: false };
  return { text: html`${t('verify.not')}`, tone: 'warn', pending: false };
}

/** The "Phone verification" card of the person page. */
export function verificationCard(
  ctx: ConsoleContext,
  t: Translate,
  deps: ConsoleDeps,
  u: User,
  row: VerificationRow | null,
  codeError?: string,
): Html {
  const s = statusText(ctx, t, u, row);
  const buttons = (['sms', 'call'] as const).map((m) => {
    const why = deps.verifier() ? verifyBlocked(deps, u, m) : 'starting';
    const id = `why-verify-${m}`;
    const button = html`<button type="submit" class="secondary" name="method" value="${m}"${why ? html` disabled aria-describedby="${id}"` : null}>${t(`verify.send.${m}`)}</button>`;
    return html`<div class="test-choice">${form(ctx, href(ctx, 'people', u.email, 'verify'), button)}${why ? html`<small id="${id}" class="hint">${t.dynamic(`why.${why}`) ?? why}</small>` : null}</div>`;
  });
  const confirm =
    s.pending || codeError
      ? form(
          ctx,
          href(ctx, 'people', u.email, 'confirm'),
          html`${field({ name: 'code', label: t('verify.code'), error: codeError, inputmode: 'numeric', autocomplete: 'one-time-code', hint: t('verify.codeHint') })}<button type="submit">${t('verify.check')}</button>`,
          { cls: 'verify-confirm' },
        )
      : null;
  return html`<section class="card" id="verification"><h2>${t('verify.title')}</h2><p class="verify-status ${s.tone}">${s.text}</p>${u.phone ? html`<p class="muted">${t('verify.explain')}</p><div class="test-buttons">${buttons}</div>` : null}${confirm}</section>`;
}

/** Answers with the person page and a notice (the caller passes how it renders). */
export type PersonPageSender = (
  req: Request,
  res: Response,
  u: User,
  status: number,
  flash: Html | null,
  codeError?: string,
) => Promise<void>;

export function verificationRoutes(r: RouterT, deps: ConsoleDeps, sendPerson: PersonPageSender): void {
  r.post('/:email/verify', async (req, res) => {
    const u = await personOr404(deps, req, res);
    if (!u) return;
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const body = req.body as Record<string, unknown>;
    const method = body.method === 'sms' || body.method === 'call' ? body.method : null;
    if (!method) return sendPerson(req, res, u, 400, notice(t('verify.chooseMethod'), 'bad'));
    const v = deps.verifier();
    const why = v ? verifyBlocked(deps, u, method) : 'starting';
    if (!v || why) return sendPerson(req, res, u, v ? 409 : 503, notice(t.dynamic(`why.${why}`) ?? String(why), 'bad'));
    try {
      const started = await v.start(ctx.user.actor, u.email, { method });
      // The call goes on after this answer; its result lands in phone_verifications (never rejects).
      if (started.call)
        void started.call.then((c) => deps.logger.info({ user: maskEmail(u.email), outcome: c.outcome }, 'console verification call over'));
      res.redirect(303, `${href(ctx, 'people', u.email)}?done=code-${method}`);
    } catch (e) {
      const { status, text } = verifyFailure(t, e);
      await sendPerson(req, res, u, status, notice(text, 'bad'));
    }
  });

  r.post('/:email/confirm', async (req, res) => {
    const u = await personOr404(deps, req, res);
    if (!u) return;
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const code = String((req.body as Record<string, unknown>).code ?? '').replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) return sendPerson(req, res, u, 400, null, t('verify.codeShape'));
    const v = deps.verifier();
    if (!v) return sendPerson(req, res, u, 503, notice(t('why.starting'), 'bad'));
    const c = await v.confirm(ctx.user.actor, u.email, code);
    if (c.status === 'ok') return res.redirect(303, `${href(ctx, 'people', u.email)}?done=verified`);
    if (c.status === 'wrong') return sendPerson(req, res, u, 422, null, t('verify.wrong', { left: c.attemptsLeft }));
    await sendPerson(req, res, u, 422, notice(t(`verify.result.${c.status}`), 'bad'));
  });
}

function verifyFailure(t: Translate, e: unknown): { status: number; text: string } {
  if (e instanceof NotFoundError) return { status: 404, text: t('notFound.text') };
  if (e instanceof AppError && e.code === 'verify-too-soon') {
    const retryAt = Number((e.details as { retryAt?: number } | undefined)?.retryAt ?? Date.now() + 60_000);
    return { status: 429, text: t('verify.tooSoon', { s: Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)) }) };
  }
  if (e instanceof AppError && e.code === 'verify-no-phone') return { status: 409, text: t('why.noPhone') };
  if (e instanceof AppError && e.code === 'verify-no-sms-sender') return { status: 409, text: t('why.smsNotThisNumber') };
  if (e instanceof AppError && e.code === 'verify-no-telephony') return { status: 409, text: t('why.noTelephony') };
  return { status: 502, text: t('verify.sendFailed', { detail: errorMessage(e) }) };
}
