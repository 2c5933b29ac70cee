/** The only file that imports zod; everything else takes `z` from here. */
import { z } from 'zod';
export { z };

/** "field: message; field2: message" for an error body or a CLI line. */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}

/**
 * Invisible direction controls (embeddings, overrides, isolates, marks). Nothing an operator types
 * as an email, a name or a heartbeat name needs them, and one U+202E makes "gnp.exe" read "exe.png".
 * Pages isolate such text anyway (older rows, OnCall's text); input refuses them.
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

export function hasBidiControl(s: string): boolean {
  return BIDI_CONTROL.test(s);
}

export const NO_BIDI_MESSAGE = 'must not contain invisible text-direction characters (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F)';
