/**
 * The page search's query string: read, checked field by field (errors name the field and a
 * message key), and written back for the "older" link. Dates are whole UTC days; "to" includes
 * its day. A recent period and dates together are refused rather than silently combined.
 */
import type { KeysOf } from '../i18n';
import type { TEXTS } from './texts';
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationSearch, type NotificationState } from '../../db/notifications-repo';

export const PAGE_STATES: readonly NotificationState[] = ['pending', 'active', 'delivered', 'failed', 'cancelled'];
export const PERIODS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

export const FIELDS = ['person', 'state', 'kind', 'group', 'period', 'from', 'to', 'text'] as const;
export type Field = (typeof FIELDS)[number];
export type FilterValues = Record<Field, string>;

export interface FieldError {
  key: KeysOf<typeof TEXTS>;
  vars?: Record<string, string | number>;
}

export interface ParsedFilter {
  /** As typed (trimmed), to fill the form again. */
  values: FilterValues;
  errors: Partial<Record<Field | 'before', FieldError>>;
  search: Omit<NotificationSearch, 'limit'>;
}

const MAX_TEXT = 200;
const GROUP_RE = /^[A-Za-z0-9_-]{1,64}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400_000;

export function parseFilter(query: Record<string, unknown>, now: number): ParsedFilter {
  const errors: ParsedFilter['errors'] = {};
  const values = {} as FilterValues;
  for (const f of FIELDS) {
    const raw = query[f];
    if (Array.isArray(raw)) errors[f] = { key: 'err.twice' };
    values[f] = typeof raw === 'string' ? raw.trim() : '';
  }
  const search: ParsedFilter['search'] = {};
  for (const f of ['person', 'text'] as const) {
    if (values[f].length > MAX_TEXT) errors[f] ??= { key: 'err.long', vars: { max: MAX_TEXT } };
    else if (values[f]) search[f] = values[f];
  }
  if (values.state && !PAGE_STATES.includes(values.state as NotificationState)) errors.state ??= { key: 'err.state' };
  else if (values.state) search.state = values.state as NotificationState;
  if (values.kind && !NOTIFICATION_KINDS.includes(values.kind as NotificationKind)) errors.kind ??= { key: 'err.kind' };
  else if (values.kind) search.kind = values.kind as NotificationKind;
  if (values.group && !GROUP_RE.test(values.group)) errors.group ??= { key: 'err.group' };
  else if (values.group) search.alertGroupId = values.group;
  readTime(values, errors, search, now);
  const before = query.before;
  if (before !== undefined) {
    if (typeof before === 'string' && /^\d{1,12}$/.test(before)) search.beforeId = Number(before);
    else errors.before = { key: 'err.before' };
  }
  return { values, errors, search };
}

function readTime(values: FilterValues, errors: ParsedFilter['errors'], search: ParsedFilter['search'], now: number): void {
  const from = values.from ? utcDay(values.from) : null;
  const to = values.to ? utcDay(values.to) : null;
  if (values.from && from === null) errors.from ??= { key: 'err.date' };
  if (values.to && to === null) errors.to ??= { key: 'err.date' };
  if (from !== null && to !== null && to < from) errors.to ??= { key: 'err.order' };
  if (values.period) {
    if (!(values.period in PERIODS)) errors.period ??= { key: 'err.period' };
    else if (values.from || values.to) errors.period ??= { key: 'err.both' };
    else search.receivedFrom = now - PERIODS[values.period as Period];
  }
  if (from !== null) search.receivedFrom = from;
  if (to !== null) search.receivedBefore = to + DAY;
}

/** Midnight UTC of a real calendar day, or null (2026-02-30 is not one). */
export function utcDay(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (y < 2000 || y > 2999 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t;
}

/** `?person=…&state=…` for the non-empty fields, plus `extra` (before=…). */
export function filterQuery(values: FilterValues, extra: Record<string, string | number> = {}): string {
  const q = new URLSearchParams();
  for (const f of FIELDS) if (values[f]) q.set(f, values[f]);
  for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
