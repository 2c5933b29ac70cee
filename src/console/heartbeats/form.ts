/**
 * The create and edit forms: what was posted, checked with the CLI's rules (fields.ts), the
 * model's bounds and the page-list rule (page-list.ts), every problem tied to its field in the
 * page's language. The service checks again when it stores; a refusal there lands on a field too.
 */
import { AppError, ValidationError } from '../../core/errors';
import { emailKey } from '../../directory/users-repo';
import type { User } from '../../directory/user';
import { formatSeconds } from '../../watchers/duration';
import { validateHeartbeat, usersDirectory, HEARTBEAT_LIMITS } from '../../watchers/heartbeats';
import type { Heartbeat, HeartbeatKind } from '../../watchers/heartbeats';
import {
  checkEvery,
  checkGrace,
  checkHeartbeatName,
  checkKind,
  checkPageEmails,
  OPERATOR_KINDS,
  type FieldProblem,
} from '../../watchers/heartbeats/fields';
import type { ConsoleContext } from '../context';
import type { ConsoleDeps } from '../deps';
import type { Words as Translate } from './texts';
import { checkboxes, field, form, href, select, textarea } from '../ui';
import { html, userText, type Html } from '../../web/html';

export type FormField = 'name' | 'kind' | 'every' | 'grace' | 'page' | 'description';
export type FormErrors = Partial<Record<FormField, string>>;

export interface FormValues {
  name: string;
  kind: string;
  every: string;
  grace: string;
  page: string[];
  description: string;
}

/** Names the console's own URLs need: `/console/heartbeats/new` is the form, and "." or ".." vanish from a path. */
const RESERVED = ['new', '.', '..'];

const one = (v: unknown): string => (typeof v === 'string' ? v : '');
const many = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v !== '' ? [v] : [];

/** The posted form (already parsed by the console router; repeated fields are arrays). */
export function readForm(body: unknown): FormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  return {
    name: one(b.name).trim(),
    kind: one(b.kind) || 'healthchecks',
    every: one(b.every).trim(),
    grace: one(b.grace).trim(),
    page: many(b.page).map((e) => e.trim()),
    description: one(b.description).trim(),
  };
}

export function valuesOf(hb: Heartbeat): FormValues {
  return {
    name: hb.name,
    kind: hb.kind,
    every: formatSeconds(hb.periodS),
    grace: formatSeconds(hb.graceS),
    page: [...hb.page],
    description: hb.description ?? '',
  };
}

export interface Checked {
  errors: FormErrors;
  periodS: number;
  graceS: number;
  kind: HeartbeatKind;
  page: string[];
  description: string | null;
}

/** Every field checked, so the form comes back with all its problems at once. */
export async function checkForm(deps: ConsoleDeps, t: Translate, v: FormValues, mode: 'create' | 'edit'): Promise<Checked> {
  const errors: FormErrors = {};
  const word = (p: FieldProblem) => t(`err.${p.code}`, { value: p.value });
  if (mode === 'create') {
    const named = checkHeartbeatName(v.name);
    if (!named.ok) errors.name = word(named.problem);
    else if (RESERVED.includes(v.name)) errors.name = t('err.reserved', { value: v.name });
    else if (bounded({ name: v.name })) errors.name = t('err.nul');
    else if (await deps.heartbeats.get(v.name)) errors.name = t('err.exists', { value: v.name });
  }
  const kind = checkKind(v.kind);
  if (mode === 'create' && !kind.ok) errors.kind = word(kind.problem);
  const every = checkEvery(v.every);
  if (!every.ok) errors.every = word(every.problem);
  else if (bounded({ periodS: every.value })) errors.every = t('err.periodMax', { max: formatSeconds(HEARTBEAT_LIMITS.periodMaxS) });
  const grace = checkGrace(v.grace === '' ? undefined : v.grace);
  if (!grace.ok) errors.grace = word(grace.problem);
  else if (bounded({ graceS: grace.value })) errors.grace = t('err.graceMax', { max: formatSeconds(HEARTBEAT_LIMITS.graceMaxS) });
  if (bounded({ description: v.description })) errors.description = t('err.description', { max: HEARTBEAT_LIMITS.descriptionMax });
  const listed = checkPageEmails(v.page);
  if (!listed.ok) errors.page = word(listed.problem);
  else {
    const problem = await pageProblem(deps, t, listed.value);
    if (problem) errors.page = problem;
  }
  return {
    errors,
    periodS: every.ok ? every.value : 0,
    graceS: grace.ok ? grace.value : 0,
    kind: kind.ok ? kind.value : 'healthchecks',
    page: listed.ok ? listed.value : [],
    description: v.description === '' ? null : v.description,
  };
}

/** True when the model would refuse these values (length, NUL, bounds). */
function bounded(input: Parameters<typeof validateHeartbeat>[0]): boolean {
  try {
    validateHeartbeat(input);
    return false;
  } catch (e) {
    if (e instanceof ValidationError) return true;
    throw e;
  }
}

/** The page-list rule (page-list.ts) in the page's words: someone known must be paged. */
async function pageProblem(deps: ConsoleDeps, t: Translate, page: readonly string[]): Promise<string | null> {
  const defaults = deps.config.sections.heartbeats?.page ?? [];
  const own = page.length > 0;
  const effective = own ? page : defaults;
  if (effective.length === 0) return t('err.pageEmpty');
  const missing = await usersDirectory(deps.users).missing(effective);
  if (missing.length === 0) return null;
  return t(own ? 'err.pageUnknown' : 'err.pageDefaultUnknown', { who: missing.join(', ') });
}

/** A refusal from the service (a race with another change) as a field error, or rethrown. */
export function serviceRefusal(t: Translate, e: unknown, name: string): FormErrors {
  if (e instanceof ValidationError) {
    const f =
      e.field === 'period'
        ? 'every'
        : e.field === 'grace' || e.field === 'page' || e.field === 'description' || e.field === 'name'
          ? e.field
          : 'name';
    return { [f]: e.message };
  }
  if (e instanceof AppError && e.code === 'conflict') return { name: t('err.exists', { value: name }) };
  throw e;
}

export interface FormView {
  mode: 'create' | 'edit';
  action: string;
  values: FormValues;
  errors: FormErrors;
  people: readonly User[];
  defaults: readonly string[];
}

export function heartbeatForm(ctx: ConsoleContext, t: Translate, o: FormView): Html {
  const v = o.values;
  const e = o.errors;
  const fields: Html[] = [];
  if (o.mode === 'create') {
    fields.push(
      field({
        name: 'name',
        label: t('f.name'),
        value: v.name,
        required: true,
        error: e.name,
        hint: t('f.name.hint'),
        autocomplete: 'off',
      }),
    );
    fields.push(
      select({
        name: 'kind',
        label: t('f.kind'),
        options: OPERATOR_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
        value: v.kind,
        error: e.kind,
        hint: t('f.kind.hint'),
      }),
    );
  }
  fields.push(
    field({
      name: 'every',
      label: t('f.every'),
      value: v.every,
      required: true,
      error: e.every,
      hint: t('f.every.hint'),
      placeholder: '5m',
      autocomplete: 'off',
    }),
  );
  fields.push(
    field({
      name: 'grace',
      label: t('f.grace'),
      value: v.grace,
      error: e.grace,
      hint: t('f.grace.hint'),
      placeholder: '1m',
      autocomplete: 'off',
    }),
  );
  fields.push(pageField(ctx, t, o));
  fields.push(
    textarea({
      name: 'description',
      label: t('f.description'),
      value: v.description,
      rows: 3,
      error: e.description,
      hint: t('f.description.hint'),
    }),
  );
  const cancel = o.mode === 'create' ? href(ctx, 'heartbeats') : href(ctx, 'heartbeats', v.name);
  const buttons = html`<div class="actions"><button type="submit">${t(o.mode === 'create' ? 'new.submit' : 'save')}</button><a class="button secondary" href="${cancel}">${t('cancel')}</a></div>`;
  return html`<section class="card">${form(ctx, o.action, html`${fields}${buttons}`, { novalidate: true })}</section>`;
}

/** One checkbox per person in the directory, plus anyone the list names who is not (so they can be unticked). */
function pageField(ctx: ConsoleContext, t: Translate, o: FormView): Html {
  const known = new Set(o.people.map((u) => emailKey(u.email)));
  const options = o.people.map((u) => ({ value: u.email, label: html`${userText(u.name)} &lt;${userText(u.email)}&gt;` }));
  for (const e of o.values.page)
    if (!known.has(emailKey(e))) options.push({ value: e, label: html`${userText(e)} (${t('paged.unknown')})` });
  const wanted = new Set(o.values.page.map(emailKey));
  const checked = options.filter((x) => wanted.has(emailKey(x.value))).map((x) => x.value);
  const hint = o.defaults.length ? t('f.page.hintDefault', { who: o.defaults.join(', ') }) : t('f.page.hintNoDefault');
  const none =
    o.people.length === 0
      ? html`<p class="notice bad">${t('f.page.nobody')} <a href="${href(ctx, 'people', 'new')}">${t('f.page.addPerson')}</a></p>`
      : null;
  return html`<div id="page-field">${none}${checkboxes({ name: 'page', legend: t('f.page'), options, checked, error: o.errors.page, hint })}</div>`;
}
