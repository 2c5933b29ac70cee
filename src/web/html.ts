/**
 * HTML as a type. `html\`…\`` escapes every interpolated value and returns `Html`, which a plain
 * string cannot stand in for, so a value that skipped the escaper is a compile error rather than a
 * hole in a page. Interpolating an `Html` (or a list of them) inserts it as built.
 */

/** The kit's own way to wrap markup; not exported, so nothing outside this file can. */
let wrap: (markup: string) => Html;

export class Html {
  static {
    wrap = (markup) => new Html(markup);
  }

  // Private: the only ways to make one are the template (escapes) and unsafeRawHtml (says so), and
  // a private field makes the type nominal, so an object literal shaped like it is not one.
  private constructor(private readonly value: string) {}

  get markup(): string {
    return this.value;
  }
}

export type HtmlValue = Html | readonly (Html | null | undefined)[] | string | number | boolean | null | undefined;

/** The one escaper: text and attribute values alike (quotes and backtick included). */
function escape(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

function piece(v: HtmlValue): string {
  if (v instanceof Html) return v.markup;
  if (Array.isArray(v)) return (v as readonly (Html | null | undefined)[]).map(piece).join('');
  // false/null/undefined render as nothing, so `${cond && html`…`}` reads naturally.
  if (v === null || v === undefined || v === false) return '';
  return escape(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return wrap(out);
}

/** Markup written in this repository (styles, fixed snippets); never anything from a request or the database. */
export function unsafeRawHtml(trusted: string): Html {
  return wrap(trusted);
}

/**
 * Text someone else wrote (a name, an email, an alert title, a note): escaped and isolated, so a
 * right-to-left override inside it cannot reorder the words around it.
 */
export function userText(s: string | null | undefined): Html {
  return html`<bdi>${s ?? ''}</bdi>`;
}

/** Parts with a separator between them (", ", " · "). */
export function joinHtml(parts: readonly Html[], separator: Html | string): Html {
  const sep = piece(separator);
  return wrap(parts.map((p) => p.markup).join(sep));
}

/**
 * A translated sentence with markup in its holes: `fill('Tied to {id}', { id: link })`. The text is
 * escaped; only the named holes take Html (a link, a badge, a name isolated by userText).
 */
export function fill(text: string, holes: Record<string, Html>): Html {
  const parts = text.split(/(\{\w+\})/);
  return wrap(
    parts
      .map((p) => {
        const m = /^\{(\w+)\}$/.exec(p);
        return m && holes[m[1]] ? holes[m[1]].markup : escape(p);
      })
      .join(''),
  );
}
