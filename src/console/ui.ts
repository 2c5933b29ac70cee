/**
 * HTML building blocks for console pages. Every dynamic value passes esc(); every form carries the
 * CSRF field; every input has a label and, when invalid, an error tied to it with aria-describedby.
 */
import { html } from '../web/html';
import type { ConsoleContext } from './context';
import { translator, type Dict, type Translate } from './i18n';
import { COMMON } from './texts';

export { badge, duration, period, truncate, utc } from '../status/html';

export function esc(v: unknown): string {
  return html`${String(v ?? '')}`.markup;
}

/** An area's words with the common ones behind them. */
export function words(ctx: ConsoleContext, dict: Dict): Translate {
  return translator(ctx.lang, dict, COMMON);
}

/** A link inside the console: `href(ctx, 'people', email)` → "/console/people/alice%40x" (parts encoded). */
export function href(ctx: ConsoleContext, ...parts: (string | number)[]): string {
  return ctx.base + parts.map((p) => encodeURIComponent(String(p))).join('/');
}

export function csrfField(ctx: ConsoleContext): string {
  return ctx.csrf ? `<input type="hidden" name="_csrf" value="${esc(ctx.csrf)}">` : '';
}

/** A POST form; `attrs` adds e.g. `data-confirm="…"` (the script asks before sending). */
export function form(ctx: ConsoleContext, action: string, inner: string, attrs = ''): string {
  return `<form method="post" action="${esc(action)}"${attrs ? ` ${attrs}` : ''}>${csrfField(ctx)}${inner}</form>`;
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

export function field(o: FieldOptions): string {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = [
    `id="${id}"`,
    `name="${esc(o.name)}"`,
    `type="${o.type ?? 'text'}"`,
    o.value !== undefined && o.value !== null ? `value="${esc(o.value)}"` : '',
    o.required ? 'required' : '',
    o.autocomplete ? `autocomplete="${esc(o.autocomplete)}"` : '',
    o.placeholder ? `placeholder="${esc(o.placeholder)}"` : '',
    o.inputmode ? `inputmode="${esc(o.inputmode)}"` : '',
    o.pattern ? `pattern="${esc(o.pattern)}"` : '',
    described ? `aria-describedby="${described}"` : '',
    o.error ? 'aria-invalid="true"' : '',
  ].filter(Boolean);
  return (
    `<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${esc(o.label)}</label><input ${attrs.join(' ')}>` +
    (o.hint ? `<small id="${id}-hint" class="hint">${esc(o.hint)}</small>` : '') +
    (o.error ? `<small id="${id}-error" class="field-error">${esc(o.error)}</small>` : '') +
    '</div>'
  );
}

export function select(o: { name: string; label: string; options: { value: string; label: string }[]; value?: string | null; error?: string; hint?: string }): string {
  const id = `f-${o.name}`;
  const opts = o.options.map((x) => `<option value="${esc(x.value)}"${x.value === o.value ? ' selected' : ''}>${esc(x.label)}</option>`).join('');
  return (
    `<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${esc(o.label)}</label><select id="${id}" name="${esc(o.name)}"${o.hint ? ` aria-describedby="${id}-hint"` : ''}${o.error ? ' aria-invalid="true"' : ''}>${opts}</select>` +
    (o.hint ? `<small id="${id}-hint" class="hint">${esc(o.hint)}</small>` : '') +
    (o.error ? `<small class="field-error">${esc(o.error)}</small>` : '') +
    '</div>'
  );
}

export function checkboxes(o: { name: string; legend: string; options: { value: string; label: string }[]; checked: readonly string[]; error?: string; hint?: string }): string {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const boxes = o.options
    .map((x, i) => `<label class="check"><input type="checkbox" name="${esc(o.name)}" value="${esc(x.value)}" id="f-${esc(o.name)}-${i}"${o.checked.includes(x.value) ? ' checked' : ''}${o.error ? ' aria-invalid="true"' : ''}> ${esc(x.label)}</label>`)
    .join('');
  return (
    `<fieldset class="field${o.error ? ' invalid' : ''}"${described ? ` aria-describedby="${described}"` : ''}><legend>${esc(o.legend)}</legend>${boxes}` +
    (o.hint ? `<small id="${id}-hint" class="hint">${esc(o.hint)}</small>` : '') +
    (o.error ? `<small id="${id}-error" class="field-error">${esc(o.error)}</small>` : '') +
    '</fieldset>'
  );
}

export function textarea(o: { name: string; label: string; value?: string; rows?: number; error?: string; hint?: string; mono?: boolean }): string {
  const id = `f-${o.name}`;
  return (
    `<div class="field${o.error ? ' invalid' : ''}"><label for="${id}">${esc(o.label)}</label><textarea id="${id}" name="${esc(o.name)}" rows="${o.rows ?? 8}"${o.mono ? ' class="mono"' : ''}${o.hint ? ` aria-describedby="${id}-hint"` : ''}${o.error ? ' aria-invalid="true"' : ''}>${esc(o.value ?? '')}</textarea>` +
    (o.hint ? `<small id="${id}-hint" class="hint">${esc(o.hint)}</small>` : '') +
    (o.error ? `<small class="field-error">${esc(o.error)}</small>` : '') +
    '</div>'
  );
}

/** A read-only value with a copy button (the script copies; without it the text is selectable). */
export function copyable(ctx: ConsoleContext, id: string, value: string, label: string): string {
  return `<div class="copyable"><label for="${esc(id)}">${esc(label)}</label><div class="copy-row"><input id="${esc(id)}" class="mono" readonly value="${esc(value)}">${copyButton(ctx, id, label)}</div></div>`;
}

/** A block of code (curl lines, snippets) with a copy button. */
export function codeBlock(ctx: ConsoleContext, id: string, code: string, label: string): string {
  return `<div class="copyable"><div class="code-head"><span id="${esc(id)}-label">${esc(label)}</span>${copyButton(ctx, id, label)}</div><pre id="${esc(id)}" class="mono" aria-labelledby="${esc(id)}-label" tabindex="0">${esc(code)}</pre></div>`;
}

/** "Copy", named after what it copies for screen readers ("Copy: Ping URL"). */
function copyButton(ctx: ConsoleContext, id: string, label: string): string {
  return `<button type="button" class="secondary" data-copy="${esc(id)}" data-copied="${esc(ctx.t('copied'))}" aria-label="${esc(`${ctx.t('copy')}: ${label}`)}">${esc(ctx.t('copy'))}</button>`;
}

/** A time: relative in the page's language, exact UTC on hover. */
export function when(ctx: ConsoleContext, t: number | null): string {
  if (t === null || !Number.isFinite(t)) return '—';
  const iso = new Date(t).toISOString();
  return `<time datetime="${esc(iso)}" title="${esc(iso.slice(0, 19).replace('T', ' '))} UTC">${esc(relativeIn(ctx, t))}</time>`;
}

export function relativeIn(ctx: ConsoleContext, t: number): string {
  const d = Math.round((ctx.now - t) / 1000);
  const abs = Math.abs(d);
  if (abs < 5) return ctx.t('time.justNow');
  const ru = ctx.lang === 'ru';
  const span = abs < 60 ? `${abs} ${ru ? 'с' : 's'}` : abs < 3600 ? `${Math.floor(abs / 60)} ${ru ? 'мин' : 'min'}` : abs < 86400 ? `${Math.floor(abs / 3600)} ${ru ? 'ч' : 'h'}` : `${Math.floor(abs / 86400)} ${ru ? 'дн' : 'd'}`;
  return ctx.t(d >= 0 ? 'time.ago' : 'time.in', { span });
}

/** A table with a header row; `rows` are already-escaped cells. Empty → a muted line. */
export function dataTable(headers: string[], rows: string[][], empty: string, cls = ''): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table${cls ? ` class="${esc(cls)}"` : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A notice at the top of a page (role=status, or role=alert for errors). */
export function notice(text: string, tone: 'good' | 'bad' | 'info' = 'info'): string {
  return `<div class="notice ${tone}" role="${tone === 'bad' ? 'alert' : 'status'}">${esc(text)}</div>`;
}
