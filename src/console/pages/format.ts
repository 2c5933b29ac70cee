/** Small pieces the pages list and timeline share: badges in the page's language, times, lengths, people. */
import type { Db } from '../../db/knex';
import { maskPhone } from '../../core/mask';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { relativeIn } from '../ui';
import { html, userText, type Html } from '../../web/html';

/** Tones from a fixed list, never from the data (the class names must stay ours). */
const TONES: Record<string, 'good' | 'warn' | 'bad'> = {
  delivered: 'good',
  answered: 'good',
  sent: 'good',
  digit: 'good',
  pending: 'warn',
  active: 'warn',
  busy: 'warn',
  'no-answer': 'warn',
  interrupted: 'warn',
  voicemail: 'warn',
  'temporary-failure': 'warn',
  'settled-elsewhere': 'warn',
  failed: 'bad',
  rejected: 'bad',
  congestion: 'bad',
  unreachable: 'bad',
  'not-configured': 'bad',
  unavailable: 'bad',
  'not-delivered': 'bad',
  'no-user': 'bad',
  'no-sender': 'bad',
  unrouted: 'bad',
};

export function toneOf(word: string | null): 'good' | 'warn' | 'bad' | 'neutral' {
  return (word && TONES[word]) || 'neutral';
}

/** A state or outcome as a badge: translated when we know the word, as recorded otherwise. */
export function wordBadge(t: Translate, prefix: 'state' | 'outcome', word: string | null): Html {
  if (!word) return html`—`;
  return html`<span class="badge ${toneOf(word)}">${t.dynamic(`${prefix}.${word}`) ?? word}</span>`;
}

/** "2026-11-21 16:22:07 UTC", with the relative time on hover. */
export function exactTime(ctx: ConsoleContext, t: number | null): Html {
  if (t === null || !Number.isFinite(t)) return html`—`;
  const iso = new Date(t).toISOString();
  return html`<time datetime="${iso}" title="${relativeIn(ctx, t)}">${`${iso.slice(0, 19).replace('T', ' ')} UTC`}</time>`;
}

/** A length for people: "0.8 s", "42 s", "3:05"; Russian "0,8 с". */
export function seconds(ctx: ConsoleContext, ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms >= 60_000) {
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  const v = ms < 10_000 ? (Math.round(ms / 100) / 10).toFixed(1) : String(Math.round(ms / 1000));
  return ctx.lang === 'ru' ? `${v.replace('.', ',')} с` : `${v} s`;
}

export interface Person {
  name: string;
  email: string;
  phone: string | null;
}

/** Name and phone of the people pages belong to (the page keeps only the email it came with). */
export async function peopleByIds(db: Db, ids: (number | null)[]): Promise<Map<number, Person>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  const out = new Map<number, Person>();
  if (wanted.length === 0) return out;
  const rows = (await db('users').whereIn('id', wanted).select('id', 'name', 'email', 'phone')) as {
    id: number;
    name: string;
    email: string;
    phone: string | null;
  }[];
  for (const r of rows) out.set(Number(r.id), { name: r.name, email: r.email, phone: r.phone });
  return out;
}

/** Name (or the page's email), then the email and the masked phone, muted. */
export function personCell(person: Person | undefined, email: string): Html {
  if (!person) return email ? userText(email) : html`—`;
  const extra = [userText(person.email), ...(person.phone ? [html`${maskPhone(person.phone)}`] : [])].map(
    (x) => html`<br><span class="muted">${x}</span>`,
  );
  return html`${userText(person.name || person.email)}${extra}`;
}

/** A date input (ui.field has no date type): label, hint and error tied to it like field(). */
export function dateField(o: { name: string; label: string; value: string; error?: string }): Html {
  const id = `f-${o.name}`;
  return html`<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${o.label}</label><input id="${id}" name="${o.name}" type="date" value="${o.value}" min="2000-01-01" max="2999-12-31"${o.error ? html` aria-invalid="true" aria-describedby="${id}-error"` : null}>${o.error ? html`<small id="${id}-error" class="field-error">${o.error}</small>` : null}</div>`;
}
