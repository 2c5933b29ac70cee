/**
 * Label hygiene for Prometheus. Every label value is bounded: it is cleaned to a short token,
 * anything that looks like an email address or a phone number becomes `other`, and each label
 * keeps at most `maxValues` distinct values (later newcomers also become `other`). A bug that
 * passes a number or an address can then neither leak it nor blow up the series count.
 */

export const OTHER = 'other';
export const NONE = 'none';

const EMAILISH = /@/;
/** Five or more digits in a row, allowing the separators people write numbers with. */
const PHONEISH = /\d(?:[\s().-]*\d){4,}/;
const MAX_LENGTH = 48;

/** One label value made safe: short, plain characters, never an address or a number. */
export function cleanLabel(value: unknown): string {
  if (value === null || value === undefined) return NONE;
  const s = String(value).trim();
  if (s === '') return NONE;
  if (EMAILISH.test(s) || PHONEISH.test(s)) return OTHER;
  const cleaned = s.replace(/[^A-Za-z0-9_.:-]+/g, '_').slice(0, MAX_LENGTH);
  return cleaned === '' ? NONE : cleaned;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
/** A DNS name with at least one letter: an all-digit "host" is more likely a phone number. */
const HOSTNAME = /^(?=[A-Za-z0-9.-]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9.-]{0,62})$/;

/**
 * A server label (`host:port`, as in `dozvon_ari_up{server}`): kept as written when it is a
 * host name, an IPv4 address or a bracketed IPv6 address with an optional port. The generic
 * cleaner would take `10.0.0.12:8088` for a phone number (its digits run on across dots).
 * Anything else, credentials included, goes through cleanLabel.
 */
export function hostLabel(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value).trim();
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(s);
  const host = m?.[1] ?? '';
  if (s.length <= MAX_LENGTH && (IPV4.test(host) || IPV6.test(host) || HOSTNAME.test(host))) return s;
  return cleanLabel(value);
}

const DTMF = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D']);

/** A DTMF digit, or `other`: the digit label has at most 17 values. */
export function cleanDigit(value: string): string {
  const d = value.trim().toUpperCase();
  return DTMF.has(d) ? d : OTHER;
}

/** Remembers the values seen per label and caps how many there may be. */
export class LabelGuard {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly maxValues = 64) {}

  /** `key` names the metric and label, e.g. `calls.cause`; `clean` makes the raw value safe. */
  value(key: string, raw: unknown, clean: (v: unknown) => string = cleanLabel): string {
    const v = clean(raw);
    let set = this.seen.get(key);
    if (!set) {
      set = new Set();
      this.seen.set(key, set);
    }
    if (set.has(v)) return v;
    if (set.size >= this.maxValues) return OTHER;
    set.add(v);
    return v;
  }

  forget(key: string, value: string): void {
    this.seen.get(key)?.delete(value);
  }
}
