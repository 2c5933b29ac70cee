/** Small pieces the pages list and timeline share: badges in the page's language, times, lengths, people. */
import type { Db } from '../../db/knex';
import { maskPhone } from '../../core/mask';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { esc, relativeIn } from '../ui';

/** Tones from a fixed list, never from the data (the class names must stay ours). */
const TONES: Record<string, 'good' | 'warn' | 'bad'> = {
  delivered: 'good', answered: 'good', sent: 'good', digit: 'good',
  pending: 'warn', active: 'warn', busy: 'warn', 'no-answer': 'warn', interrupted: 'warn', 'temporary-failure': 'warn', 'settled-elsewhere': 'warn',
  failed: 'bad', rejected: 'bad', congestion: 'bad', unreachable: 'bad', 'not-configured': 'bad', unavailable: 'bad', 'not-delivered': 'bad', 'no-user': 'bad', 'no-sender': 'bad', unrouted: 'bad',
};

export function toneOf(word: string | null): 'good' | 'warn' | 'bad' | 'neutral' {
  return (word && TONES[word]) || 'neutral';
}

/** A state or outcome as a badge: translated when we know the word, as recorded otherwise. */
export function wordBadge(t: Translate, prefix: 'state' | 'outcome', word: string | null): string {
  if (!word) return '—';
  const key = `${prefix}.${word}`;
  const label = t(key);
  return `<span class="badge ${toneOf(word)}">${esc(label === key ? word : label)}</span>`;
}

/** "2026-11-21 16:22:07 UTC", with the relative time on hover. */
export function exactTime(ctx: ConsoleContext, t: number | null): string {
  if (t === null || !Number.isFinite(t)) return '—';
  const iso = new Date(t).toISOString();
  return `<time datetime="${esc(iso)}" title="${esc(relativeIn(ctx, t))}">${esc(`${iso.slice(0, 19).replace('T', ' ')} UTC`)}</time>`;
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
  const rows = (await db('users').whereIn('id', wanted).select('id', 'name', 'email', 'phone')) as { id: number; name: string; email: string; phone: string | null }[];
  for (const r of rows) out.set(Number(r.id), { name: r.name, email: r.email, phone: r.phone });
  return out;
}

/** Name (or the page's email), then the email and the masked phone, muted. */
export function personCell(person: Person | undefined, email: string): string {
  if (!person) return esc(email || '—');
  const extra = [person.email, person.phone ? maskPhone(person.phone) : ''].filter(Boolean).map((x) => `<span class="muted">${esc(x)}</span>`).join('<br>');
  return `${esc(person.name || person.email)}${extra ? `<br>${extra}` : ''}`;
}

/** A date input (ui.field has no date type): label, hint and error tied to it like field(). */
export function dateField(o: { name: string; label: string; value: string; error?: string }): string {
  const id = `f-${o.name}`;
  return (
    `<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${esc(o.label)}</label>` +
    `<input id="${id}" name="${esc(o.name)}" type="date" value="${esc(o.value)}" min="2000-01-01" max="2999-12-31"${o.error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}>` +
    (o.error ? `<small id="${id}-error" class="field-error">${esc(o.error)}</small>` : '') +
    '</div>'
  );
}
