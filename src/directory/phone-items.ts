/** How people write a phone with its label in one piece of text (CLI flag, CSV cell, console line). */

/** `desk=+15551234567` or a bare number; the schema judges the number and the label. */
export function phoneItem(text: string): { number: string; label?: string } {
  const at = text.indexOf('=');
  return at > 0 ? { label: text.slice(0, at).trim(), number: text.slice(at + 1).trim() } : { number: text.trim() };
}

/** Items separated by `sep`, blanks skipped, in the order written (the dialling order). */
export function phoneItems(text: string, sep: string | RegExp): { number: string; label?: string }[] {
  return text
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean)
    .map(phoneItem);
}

/** The list as the same text again, one item per `sep`. */
export function phoneItemsText(phones: readonly { number: string; label: string | null }[], sep: string): string {
  return phones.map((p) => (p.label ? `${p.label}=${p.number}` : p.number)).join(sep);
}
