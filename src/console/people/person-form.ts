/**
 * The add and edit forms for a person: what the operator typed (kept on a 400, never the PIN),
 * turned into the same input the CLI builds from its flags and checked by the same schemas.
 */
import {
  CHANNELS,
  LANGS,
  ROLES,
  userCreateSchema,
  userPatchSchema,
  type Channel,
  type User,
  type UserCreate,
  type UserPatch,
} from '../../directory/user';
import { isReachable } from '../../directory/reachable';
import { phoneItems, phoneItemsText } from '../../directory/phone-items';
import { emailKey } from '../../directory/users-repo';
import type { z } from '../../core/validate';
import type { Words as Translate } from './texts';
import type { ConsoleContext } from '../context';
import { checkboxes, field, form, notice, select, textarea } from '../ui';
import { html, type Html } from '../../web/html';

export const FIELDS = ['email', 'name', 'phone', 'lang', 'pin', 'channels', 'contacts', 'role', 'timezone'] as const;
export type Field = (typeof FIELDS)[number];
export type PersonErrors = Partial<Record<Field, string>>;

/** The form as typed; `contacts` is the textarea's KEY=VALUE lines, `phone` its phones, one per line. */
export interface PersonValues {
  email: string;
  name: string;
  phone: string;
  lang: string;
  role: string;
  timezone: string;
  channels: string[];
  contacts: string;
  clearPin: boolean;
}

type Body = Record<string, unknown>;

export function emptyValues(lang: string): PersonValues {
  return { email: '', name: '', phone: '', lang, role: 'editor', timezone: '', channels: [], contacts: '', clearPin: false };
}

export function valuesOf(u: User): PersonValues {
  return {
    email: u.email,
    name: u.name,
    phone: phoneItemsText(u.phones, '\n'),
    lang: u.lang,
    role: u.role,
    timezone: u.timezone ?? '',
    channels: [...u.channels],
    contacts: Object.entries(u.contacts)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    clearPin: false,
  };
}

/** A single-valued field as sent; a repeated one stays an array so the schema refuses it. */
function raw(body: Body, name: string): unknown {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : v;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');

export function valuesFrom(body: Body): PersonValues {
  const ch = body.channels;
  return {
    email: text(raw(body, 'email')),
    name: text(raw(body, 'name')),
    phone: text(raw(body, 'phone')),
    lang: text(raw(body, 'lang')),
    role: text(raw(body, 'role')),
    timezone: text(raw(body, 'timezone')),
    channels: (Array.isArray(ch) ? ch : typeof ch === 'string' ? [ch] : []).map(String),
    contacts: text(body.contacts),
    clearPin: body.clear_pin === '1',
  };
}

/** KEY=VALUE lines → a record, as `--contact KEY=VALUE` is read; a line without "=" is an error. */
function contactsOf(textValue: string): Record<string, string> | { badLine: number } {
  const out: Record<string, string> = {};
  const lines = textValue.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return { badLine: i + 1 };
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** Issues of a schema, one message per field, in the page's language. */
function fieldErrors(t: Translate, err: z.ZodError): PersonErrors {
  const out: PersonErrors = {};
  for (const issue of err.issues) {
    // The one phones field holds both the one-phone shorthand and the list.
    const f = (issue.path[0] === 'phones' ? 'phone' : String(issue.path[0] ?? '')) as Field;
    if (!(FIELDS as readonly string[]).includes(f) || out[f]) continue;
    out[f] = f === 'channels' && issue.code === 'too_small' ? t('err.channelsNone') : t(`err.${f}`);
  }
  return out;
}

/** The body → a create input, or the errors to show. Empty fields are left out, as unset CLI flags. */
export function readCreate(t: Translate, body: Body): { input: UserCreate } | { errors: PersonErrors } {
  const input: Record<string, unknown> = {};
  for (const k of ['email', 'name', 'lang', 'role', 'timezone', 'pin'] as const) {
    const v = raw(body, k);
    if (v !== undefined && v !== '') input[k] = v;
  }
  const phones = phoneItems(text(body.phone), /\r?\n/);
  if (phones.length === 1 && phones[0].label === undefined) input.phone = phones[0].number;
  else if (phones.length > 1 || phones[0]?.label !== undefined) input.phones = phones;
  const ch = body.channels;
  if (ch !== undefined && ch !== '') input.channels = Array.isArray(ch) ? ch : [ch];
  const contacts = contactsOf(text(body.contacts));
  if ('badLine' in contacts) return { errors: { contacts: t('err.contactLine', { n: contacts.badLine }) } };
  if (Object.keys(contacts).length) input.contacts = contacts;
  const parsed = userCreateSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(t, parsed.error) };
  if (!isReachable(parsed.data)) return { errors: { phone: t('err.unreachable'), contacts: t('err.unreachable') } };
  return { input: parsed.data };
}

/**
 * The body → only the fields that differ from the person as stored (a PIN typed counts as a
 * change; blank keeps it, "remove" clears it), or the errors to show.
 */
export function readEdit(t: Translate, body: Body, u: User): { patch: UserPatch } | { errors: PersonErrors } {
  const input: Record<string, unknown> = {};
  for (const k of ['email', 'name', 'lang', 'role'] as const) input[k] = raw(body, k) ?? '';
  // The field is the whole list: a line without a label has none (not "keep the old one").
  input.phones = phoneItems(text(body.phone), /\r?\n/).map((x) => ({ ...x, label: x.label ?? null }));
  const tz = raw(body, 'timezone');
  input.timezone = tz === '' || tz === undefined ? null : tz;
  const pin = raw(body, 'pin');
  const clear = body.clear_pin === '1';
  if (pin !== undefined && pin !== '' && clear) return { errors: { pin: t('err.pinBoth') } };
  if (pin !== undefined && pin !== '') input.pin = pin;
  else if (clear) input.pin = null;
  const ch = body.channels;
  input.channels = ch === undefined ? [] : Array.isArray(ch) ? ch : [ch];
  const contacts = contactsOf(text(body.contacts));
  if ('badLine' in contacts) return { errors: { contacts: t('err.contactLine', { n: contacts.badLine }) } };
  input.contacts = contacts;
  const parsed = userPatchSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(t, parsed.error) };
  const p = parsed.data;
  if (!isReachable({ phones: p.phones, contacts: p.contacts }))
    return { errors: { phone: t('err.unreachable'), contacts: t('err.unreachable') } };
  const patch: UserPatch = {};
  if (p.email !== undefined && emailKey(p.email) !== emailKey(u.email)) patch.email = p.email;
  if (p.name !== undefined && p.name !== u.name) patch.name = p.name;
  if (p.lang !== undefined && p.lang !== u.lang) patch.lang = p.lang;
  if (p.role !== undefined && p.role !== u.role) patch.role = p.role;
  Object.assign(patch, phonesChange(p.phones ?? [], u));
  if (p.timezone !== undefined && p.timezone !== u.timezone) patch.timezone = p.timezone;
  const channels = keepOrder(u.channels, p.channels ?? []);
  if (channels.join(',') !== u.channels.join(',')) patch.channels = channels;
  if (p.contacts !== undefined && !sameRecord(p.contacts, u.contacts)) patch.contacts = p.contacts;
  if (p.pin !== undefined && (p.pin !== null || u.hasPin)) patch.pin = p.pin;
  return { patch };
}

/**
 * The phones as a change, or nothing when the list (numbers, labels, order) is as stored. One new
 * bare number is the one-phone shorthand, as the form had before lists; an empty list clears.
 */
function phonesChange(phones: NonNullable<UserPatch['phones']>, u: User): Pick<UserPatch, 'phone' | 'phones'> {
  const listed = (l: readonly { number: string; label?: string | null }[]) => JSON.stringify(l.map((x) => [x.number, x.label ?? null]));
  if (listed(phones) === listed(u.phones)) return {};
  if (phones.length === 0) return { phone: null };
  const [only] = phones;
  if (phones.length === 1 && !only.label && !u.phones.some((x) => x.number === only.number)) return { phone: only.number };
  return { phones };
}

/** Ticked channels keep the order the person had (paging tries them in order); new ones go last. */
function keepOrder(before: readonly Channel[], ticked: readonly Channel[]): Channel[] {
  return [...before.filter((c) => ticked.includes(c)), ...CHANNELS.filter((c) => ticked.includes(c) && !before.includes(c))];
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k]);
}

/** The form itself; `existing` makes it the edit form (PIN blank = unchanged, with a remove box). */
export function personForm(
  ctx: ConsoleContext,
  t: Translate,
  o: { action: string; values: PersonValues; errors: PersonErrors; existing?: User; cancel: string },
): Html {
  const { values: v, errors: e } = o;
  const pinHint = o.existing ? (o.existing.hasPin ? t('form.pinKeep') : t('form.pinNone')) : t('form.pinHint');
  const clearPin = o.existing?.hasPin
    ? html`<label class="check"><input type="checkbox" name="clear_pin" value="1" id="f-clear_pin"${v.clearPin ? html` checked` : null}> ${t('form.clearPin')}</label>`
    : null;
  const inner = html`${Object.keys(e).length ? notice(t('error.invalid'), 'bad') : null}<div class="grid2"><div>${[
    field({
      name: 'email',
      label: t('form.email'),
      type: 'email',
      value: v.email,
      error: e.email,
      required: true,
      autocomplete: 'off',
      hint: o.existing ? t('form.emailEditHint') : t('form.emailHint'),
    }),
    field({
      name: 'name',
      label: t('form.name'),
      value: v.name,
      error: e.name,
      required: true,
      autocomplete: 'off',
      hint: t('form.nameHint'),
    }),
    textarea({
      name: 'phone',
      label: t('form.phone'),
      value: v.phone,
      rows: 3,
      mono: true,
      error: e.phone,
      hint: t('form.phoneHint'),
    }),
    select({
      name: 'lang',
      label: t('form.lang'),
      value: v.lang,
      options: LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) })),
      error: e.lang,
      hint: t('form.langHint'),
    }),
    field({
      name: 'pin',
      label: t('form.pin'),
      type: 'password',
      value: null,
      error: e.pin,
      autocomplete: 'new-password',
      inputmode: 'numeric',
      hint: pinHint,
    }),
    clearPin,
  ]}</div><div>${[
    checkboxes({
      name: 'channels',
      legend: t('form.channels'),
      options: CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
      checked: v.channels,
      error: e.channels,
    }),
    html`<p class="hint people-hint">${o.existing ? t('form.channelsOrder') : t('form.channelsHint')}</p>`,
    textarea({
      name: 'contacts',
      label: t('form.contacts'),
      value: v.contacts,
      rows: 3,
      mono: true,
      error: e.contacts,
      hint: t('form.contactsHint'),
    }),
    select({
      name: 'role',
      label: t('form.role'),
      value: v.role,
      options: ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
      error: e.role,
      hint: t('form.roleHint'),
    }),
    field({
      name: 'timezone',
      label: t('form.timezone'),
      value: v.timezone,
      error: e.timezone,
      autocomplete: 'off',
      placeholder: 'Europe/Moscow',
      hint: t('form.timezoneHint'),
    }),
  ]}</div></div><div class="actions"><button type="submit">${o.existing ? t('save') : t('form.add')}</button><a class="button secondary" href="${o.cancel}">${t('cancel')}</a></div>`;
  return form(ctx, o.action, inner, { cls: 'person-form', novalidate: true });
}
