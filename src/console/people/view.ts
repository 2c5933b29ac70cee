/** Pieces every people page uses: finding the person a URL names, notices after a redirect, badges. */
import type { Request, Response } from '../../http/express';
import type { User } from '../../directory/user';
import { maskPhone } from '../../core/mask';
import type { Words as Translate } from './texts';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { href, notice, words } from '../ui';
import { TEXTS } from './texts';
import { sendHtml } from '../../web/send';
import { html, userText, type Html } from '../../web/html';

/** Names of the `?done=` notices; anything else in the query shows nothing. */
const DONE = ['saved', 'unchanged', 'removed', 'imported', 'code-sms', 'code-call', 'verified'] as const;

export function doneNotice(t: Translate, q: Request['query']): Html | null {
  const done = q.done;
  if (typeof done !== 'string' || !(DONE as readonly string[]).includes(done)) return null;
  const count = (k: string) => (typeof q[k] === 'string' && /^\d{1,6}$/.test(q[k] as string) ? Number(q[k]) : 0);
  return notice(
    t.dynamic(`done.${done}`, { created: count('created'), updated: count('updated'), unchanged: count('unchanged') }) ?? done,
    done === 'unchanged' ? 'info' : 'good',
  );
}

/** An email as a route parameter: the shape an address can have, or nothing. */
export function emailParam(req: Request): string | null {
  const e = String(req.params.email ?? '');
  return e.length >= 3 && e.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(e) ? e : null;
}

/** The person the URL names, or null after answering 404 with a way back. */
export async function personOr404(deps: ConsoleDeps, req: Request, res: Response): Promise<User | null> {
  const email = emailParam(req);
  const user = email ? await deps.users.getByEmail(email) : null;
  if (user) return user;
  notFound(res);
  return null;
}

export function notFound(res: Response): void {
  const ctx = ctxOf(res);
  const t = words(ctx, TEXTS);
  const body = html`<p>${t('notFound.text')}</p><p><a href="${href(ctx, 'people')}">${t('back.list')}</a></p>`;
  sendHtml(res, 404, shell(ctx, { title: t('notFound.title'), section: 'people', body }));
}

export function verifiedBadge(t: Translate, u: Pick<User, 'phone' | 'phoneVerified'>): Html {
  if (!u.phone) return html`<span class="badge">${t('phone.none')}</span>`;
  return u.phoneVerified
    ? html`<span class="badge good">${t('phone.verified')}</span>`
    : html`<span class="badge warn">${t('phone.unverified')}</span>`;
}

export function channelsText(t: Translate, u: Pick<User, 'channels'>): string {
  return u.channels.map((c) => t(`channel.${c}`)).join(' → ');
}

export function maskedPhone(u: Pick<User, 'phone'>): string {
  return u.phone ? maskPhone(u.phone) : '—';
}

/** Every phone in dialling order, masked, each with its label and its own verified mark. */
export function phonesList(t: Translate, u: Pick<User, 'phones'>): Html {
  if (u.phones.length === 0) return html`<span class="badge">${t('phone.none')}</span>`;
  return html`<ol class="plain phones">${u.phones.map(
    (p) =>
      html`<li><span class="mono">${maskPhone(p.number)}</span>${p.label ? html` <small>${userText(p.label)}</small>` : null} ${verifiedBadge(t, { phone: p.number, phoneVerified: p.verified })}</li>`,
  )}</ol>`;
}

/** A queue row's state in words, coloured: delivered good, failed or cancelled bad, the rest under way. */
export function stateBadge(t: Translate, state: string): Html {
  const tone = state === 'delivered' ? 'good' : state === 'failed' || state === 'cancelled' ? 'bad' : 'warn';
  return html`<span class="badge ${tone}">${t.dynamic(`state.${state}`) ?? state}</span>`;
}
