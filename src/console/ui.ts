/**
 * HTML building blocks for console pages, built with the web kit (every value escaped); every form
 * carries the CSRF field; every input has a label and, when invalid, an error tied to it with
 * aria-describedby.
 */
import { html, type Html } from '../web/html';
import type { ConsoleContext } from './context';
import { translator, type Dict, type Translate } from './i18n';
import { COMMON, type CommonKey } from './texts';

export { badge, duration, period, truncate, utc } from '../status/html';

/** An area's words with the common ones behind them. */
export function words<K extends string>(ctx: ConsoleContext, dict: Dict<K>): Translate<K | CommonKey> {
  return translator(ctx.lang, dict, COMMON);
}

/** A link inside the console: `href(ctx, 'people', email)` → "/console/people/alice%40x" (parts encoded). */
export function href(ctx: ConsoleContext, ...parts: (string | number)[]): string {
  return ctx.base + parts.map((p) => encodeURIComponent(String(p))).join('/');
}

export function csrfField(ctx: ConsoleContext): Html | null {
  return ctx.csrf ? html`<input type="hidden" name="_csrf" value="${ctx.csrf}">` : null;
}

/** A POST form; `confirm` makes the script ask before sending, `live` lets it follow progress in place. */
export function form(ctx: ConsoleContext, action: string, inner: Html, a: FormAttrs = {}): Html {
  return html`<form method="post" action="${action}"${a.cls ? html` class="${a.cls}"` : null}${a.novalidate ? html` novalidate` : null}${a.live ? html` data-live-form` : null}${a.confirm ? html` data-confirm="${a.confirm}"` : null}>${csrfField(ctx)}${inner}</form>`;
}

export interface FormAttrs {
  confirm?: string;
  cls?: string;
  novalidate?: boolean;
  live?: boolean;
}

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | number | null;
  type?: 'text' | 'email' | 'tel' | 'number' | 'password' | 'search' | 'url';
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  inputmode?: string;
  pattern?: string;
}

function hintAndError(id: string, hint: string | undefined, error: string | undefined, errorId = true): Html {
  return html`${hint ? html`<small id="${id}-hint" class="hint">${hint}</small>` : null}${error ? (errorId ? html`<small id="${id}-error" class="field-error">${error}</small>` : html`<small class="field-error">${error}</small>`) : null}`;
}

export function field(o: FieldOptions): Html {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const opt = (name: string, v: string | number | null | undefined) =>
    v !== undefined && v !== null && v !== '' ? html` ${name}="${v}"` : null;
  const input = html`<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${o.value !== undefined && o.value !== null ? html` value="${o.value}"` : null}${o.required ? html` required` : null}${opt('autocomplete', o.autocomplete)}${opt('placeholder', o.placeholder)}${opt('inputmode', o.inputmode)}${opt('pattern', o.pattern)}${opt('aria-describedby', described)}${o.error ? html` aria-invalid="true"` : null}>`;
  return html`<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${o.label}</label>${input}${hintAndError(id, o.hint, o.error)}</div>`;
}

export function select(o: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  error?: string;
  hint?: string;
}): Html {
  const id = `f-${o.name}`;
  const opts = o.options.map((x) => html`<option value="${x.value}"${x.value === o.value ? html` selected` : null}>${x.label}</option>`);
  return html`<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${o.label}</label><select id="${id}" name="${o.name}"${o.hint ? html` aria-describedby="${id}-hint"` : null}${o.error ? html` aria-invalid="true"` : null}>${opts}</select>${hintAndError(id, o.hint, o.error, false)}</div>`;
}

export function checkboxes(o: {
  name: string;
  legend: string;
  options: { value: string; label: string | Html }[];
  checked: readonly string[];
  error?: string;
  hint?: string;
}): Html {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const boxes = o.options.map(
    (x, i) =>
      html`<label class="check"><input type="checkbox" name="${o.name}" value="${x.value}" id="f-${o.name}-${i}"${o.checked.includes(x.value) ? html` checked` : null}${o.error ? html` aria-invalid="true"` : null}> ${x.label}</label>`,
  );
  return html`<fieldset class="field${o.error ? ' invalid' : ''}"${described ? html` aria-describedby="${described}"` : null}><legend>${o.legend}</legend>${boxes}${hintAndError(id, o.hint, o.error)}</fieldset>`;
}

export function textarea(o: {
  name: string;
  label: string;
  value?: string;
  rows?: number;
  error?: string;
  hint?: string;
  mono?: boolean;
}): Html {
  const id = `f-${o.name}`;
  return html`<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${o.label}</label><textarea id="${id}" name="${o.name}" rows="${o.rows ?? 8}"${o.mono ? html` class="mono"` : null}${o.hint ? html` aria-describedby="${id}-hint"` : null}${o.error ? html` aria-invalid="true"` : null}>${o.value ?? ''}</textarea>${hintAndError(id, o.hint, o.error, false)}</div>`;
}

/** A read-only value with a copy button (the script copies; without it the text is selectable). */
export function copyable(ctx: ConsoleContext, id: string, value: string, label: string): Html {
  return html`<div class="copyable"><label for="${id}">${label}</label><div class="copy-row"><input id="${id}" class="mono" readonly value="${value}">${copyButton(ctx, id, label)}</div></div>`;
}

/** A block of code (curl lines, snippets) with a copy button. */
export function codeBlock(ctx: ConsoleContext, id: string, code: string, label: string): Html {
  return html`<div class="copyable"><div class="code-head"><span id="${id}-label">${label}</span>${copyButton(ctx, id, label)}</div><pre id="${id}" class="mono" aria-labelledby="${id}-label" tabindex="0">${code}</pre></div>`;
}

/** "Copy", named after what it copies for screen readers ("Copy: Ping URL"). */
function copyButton(ctx: ConsoleContext, id: string, label: string): Html {
  return html`<button type="button" class="secondary" data-copy="${id}" data-copied="${ctx.t('copied')}" aria-label="${`${ctx.t('copy')}: ${label}`}">${ctx.t('copy')}</button>`;
}

/** A time: relative in the page's language, exact UTC on hover. */
export function when(ctx: ConsoleContext, t: number | null): Html {
  if (t === null || !Number.isFinite(t)) return html`—`;
  const iso = new Date(t).toISOString();
  return html`<time datetime="${iso}" title="${iso.slice(0, 19).replace('T', ' ')} UTC">${relativeIn(ctx, t)}</time>`;
}

export function relativeIn(ctx: ConsoleContext, t: number): string {
  const d = Math.round((ctx.now - t) / 1000);
  const abs = Math.abs(d);
  if (abs < 5) return ctx.t('time.justNow');
  const ru = ctx.lang === 'ru';
  const span =
    abs < 60
      ? `${abs} ${ru ? 'с' : 's'}`
      : abs < 3600
        ? `${Math.floor(abs / 60)} ${ru ? 'мин' : 'min'}`
        : abs < 86400
          ? `${Math.floor(abs / 3600)} ${ru ? 'ч' : 'h'}`
          : `${Math.floor(abs / 86400)} ${ru ? 'дн' : 'd'}`;
  return ctx.t(d >= 0 ? 'time.ago' : 'time.in', { span });
}

/** A table with a header row; each row is its cells. Empty → a muted line. */
export function dataTable(headers: string[], rows: Html[][], empty: string, cls = ''): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  const head = headers.map((h) => html`<th scope="col">${h}</th>`);
  const body = rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`);
  return html`<div class="table-wrap"><table${cls ? html` class="${cls}"` : null}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A notice at the top of a page (role=status, or role=alert for errors). */
export function notice(text: string, tone: 'good' | 'bad' | 'info' = 'info'): Html {
  return html`<div class="notice ${tone}" role="${tone === 'bad' ? 'alert' : 'status'}">${text}</div>`;
}
