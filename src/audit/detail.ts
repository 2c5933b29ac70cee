/** What an audit entry says about a person's change: fields named, secrets never stored. */
import { maskPhone } from '../core/mask';

/** The changed fields of a user create/patch body; a PIN or OnCall token only as "set"/"cleared". */
export function userChangeDetail(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (k === 'pin' || k === 'oncall_token' || k === 'oncallToken') out[k] = v === null || v === '' ? 'cleared' : 'set';
    else if (k === 'phone') out[k] = v === null || v === '' ? null : maskPhone(String(v));
    else if (k === 'phones' && Array.isArray(v)) out[k] = v.map(maskedPhoneEntry);
    else if (k === 'contacts' && v && typeof v === 'object') out[k] = Object.keys(v as object);
    else out[k] = v;
  }
  return out;
}

/** One entry of a phones list, with its number masked and nothing left undefined (the entry is JSON). */
function maskedPhoneEntry(p: unknown): Record<string, unknown> {
  const e = (p ?? {}) as { number?: unknown; label?: unknown; verified?: unknown };
  return Object.fromEntries(
    Object.entries({ number: maskPhone(String(e.number ?? '')), label: e.label, verified: e.verified }).filter(([, x]) => x !== undefined),
  );
}
