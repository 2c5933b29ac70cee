/**
 * The person page's phone verification: what the phone_verifications row says (a code out, used,
 * locked, undelivered), the buttons that send a code by SMS or call through the running
 * PhoneVerifier (as `dozvon users verify` does over the admin API), and the form that checks the
 * code the person read back.
 */
import type { Request, Response, RouterT } from '../../http/express';
import type { User, UserPhone } from '../../directory/user';
import { AppError, NotFoundError, errorMessage } from '../../core/errors';
import { maskEmail, maskPhone } from '../../core/mask';
import { PhoneVerificationsRepo, type VerificationRow } from '../../verify/repo';
import { MAX_ATTEMPTS } from '../../verify';
import type { ConsoleDeps } from '../deps';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { ctxOf } from '../context';
import { field, form, href, notice, when, words } from '../ui';
import { TEXTS } from './texts';
import { verifyBlocked } from './reach';
import { personOr404, verifiedBadge } from './view';
import { html, userText, type Html } from '../../web/html';

/** The latest code for one of this person's current numbers, if any (one code is out at a time). */
export async function verificationOf(deps: ConsoleDeps, u: User): Promise<VerificationRow | null> {
  if (!u.phone) return null;
  const row = await new PhoneVerificationsRepo(deps.db).forUser(u.id);
  return row && u.phones.some((p) => p.number === row.phone) ? row : null;
}

/** The phone the card's status is about: the one the latest code went to, else the first. */
function subjectOf(u: User, row: VerificationRow | null): UserPhone | null {
  return u.phones.find((p) => p.number === row?.phone) ?? u.phones[0] ?? null;
}

function statusText(
  ctx: ConsoleContext,
  t: Translate,
  u: User,
  row: VerificationRow | null,
): { text: Html; tone: string; pending: boolean } {
  const phone = subjectOf(u, row);
  if (!phone) return { text: html`${t('verify.noPhone')}`, tone: '', pending: false };
  const verified = phone.verified;
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
  if (verified && row?.state === 'confirmed')
    return { text: html`${t('verify.confirmed', { method })} ${when(ctx, row.confirmedAt)}.`, tone: 'good', pending: false };
  if (verified) return { text: html`${t('verify.byOperator')}`, tone: 'good', pending: false };
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
  const several = u.phones.length > 1;
  const buttonsFor = (i: number) =>
    (['sms', 'call'] as const).map((m) => {
      const why = deps.verifier() ? verifyBlocked(deps, { ...u, phone: u.phones[i].number }, m) : 'starting';
      const id = `why-verify-${m}${several ? `-${i}` : ''}`;
      const which = several ? html`<input type="hidden" name="phone" value="${String(i)}">` : null;
      const button = html`${which}<button type="submit" class="secondary" name="method" value="${m}"${why ? html` disabled aria-describedby="${id}"` : null}>${t(`verify.send.${m}`)}</button>`;
      return html`<div class="test-choice">${form(ctx, href(ctx, 'people', u.email, 'verify'), button)}${why ? html`<small id="${id}" class="hint">${t.dynamic(`why.${why}`) ?? why}</small>` : null}</div>`;
    });
  // Several phones: each is verified on its own, so each has its own buttons beside its mark.
  const buttons = several
    ? html`<ol class="plain verify-phones">${u.phones.map(
        (p, i) =>
          html`<li><span class="mono">${maskPhone(p.number)}</span>${p.label ? html` <small>${userText(p.label)}</small>` : null} ${verifiedBadge(t, { phone: p.number, phoneVerified: p.verified })}<div class="test-buttons">${buttonsFor(i)}</div></li>`,
      )}</ol>`
    : u.phone
      ? html`<div class="test-buttons">${buttonsFor(0)}</div>`
      : null;
  const about = several ? html`<span class="mono">${maskPhone(subjectOf(u, row)!.number)}</span>: ` : null;
  const confirm =
    s.pending || codeError
      ? form(
          ctx,
          href(ctx, 'people', u.email, 'confirm'),
          html`${field({ name: 'code', label: t('verify.code'), error: codeError, inputmode: 'numeric', autocomplete: 'one-time-code', hint: t('verify.codeHint') })}<button type="submit">${t('verify.check')}</button>`,
          { cls: 'verify-confirm' },
        )
      : null;
  return html`<section class="card" id="verification"><h2>${t('verify.title')}</h2><p class="verify-status ${s.tone}">${about}${s.text}</p>${u.phone ? html`<p class="muted">${t('verify.explain')}</p>${buttons}` : null}${confirm}</section>`;
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
    // Which of the person's phones, by its place in the list (the page never holds the numbers).
    const at = body.phone === undefined ? 0 : typeof body.phone === 'string' && /^[0-9]$/.test(body.phone) ? Number(body.phone) : -1;
    const phone = u.phones[at];
    if (u.phones.length > 0 && !phone) return sendPerson(req, res, u, 400, notice(t('verify.choosePhone'), 'bad'));
    const v = deps.verifier();
    const why = v ? verifyBlocked(deps, phone ? { ...u, phone: phone.number } : u, method) : 'starting';
    if (!v || why) return sendPerson(req, res, u, v ? 409 : 503, notice(t.dynamic(`why.${why}`) ?? String(why), 'bad'));
    try {
      const started = await v.start(ctx.user.actor, u.email, { method, phone: phone?.number });
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
