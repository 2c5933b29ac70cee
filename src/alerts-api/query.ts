/**
 * The part of Opsgenie's alert search that dozvon answers: `field: value` terms joined by AND
 * (or by spaces) on status, acknowledged, priority, tag and alias, plus bare words searched in
 * the message, alias, entity and description. OR, parentheses and comparisons are refused with
 * a 422 naming `query`, so a client never gets a silently wrong list.
 */
import type { AlertFilter, AlertPage } from '../alerts/repo';
import { PRIORITIES, type Priority } from '../alerts/types';

export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseQuery(q: string | undefined): AlertFilter {
  const f: AlertFilter = {};
  const text: string[] = [];
  if (!q || !q.trim()) return f;
  if (/(^|\s)(OR|NOT)(\s|$)|[()<>]/.test(q)) throw new QueryError('query', 'only field: value terms joined by AND are supported');
  const terms = q.match(/[A-Za-z.]+\s*[:=]\s*("[^"]*"|\S+)|"[^"]*"|\S+/g) ?? [];
  for (const raw of terms) {
    if (raw === 'AND') continue;
    const m = /^([A-Za-z.]+)\s*[:=]\s*(.+)$/.exec(raw);
    if (!m) {
      text.push(unquote(raw));
      continue;
    }
    const field = m[1].toLowerCase();
    const value = unquote(m[2]);
    if (field === 'status') {
      if (value !== 'open' && value !== 'closed') throw new QueryError('query', 'status is open or closed');
      f.status = value;
    } else if (field === 'acknowledged') {
      if (value !== 'true' && value !== 'false') throw new QueryError('query', 'acknowledged is true or false');
      f.acknowledged = value === 'true';
    } else if (field === 'priority') {
      const p = value.toUpperCase() as Priority;
      if (!PRIORITIES.includes(p)) throw new QueryError('query', 'priority is one of P1-P5');
      f.priority = p;
    } else if (field === 'tag' || field === 'tags') f.tag = value;
    else if (field === 'alias') f.alias = value;
    else throw new QueryError('query', `searching by ${m[1]} is not supported`);
  }
  if (text.length) f.text = text.join(' ');
  return f;
}

const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');

const SORTS: Record<string, AlertPage['sort']> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  lastOccurredAt: 'lastOccurredAt',
  // The Go SDK's spelling.
  lastOccuredAt: 'lastOccurredAt',
  count: 'count',
  priority: 'priority',
  tinyId: 'tinyId',
};

export function parsePage(q: Record<string, unknown>): AlertPage {
  const num = (name: string, dflt: number, min: number, max: number): number => {
    const v = q[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new QueryError(name, `must be an integer from ${min} to ${max}`);
    return n;
  };
  const sortRaw = q.sort === undefined || q.sort === '' ? 'createdAt' : String(q.sort);
  const sort = SORTS[sortRaw];
  if (!sort) throw new QueryError('sort', `sorting by ${sortRaw} is not supported`);
  const order = q.order === undefined || q.order === '' ? 'desc' : String(q.order);
  if (order !== 'asc' && order !== 'desc') throw new QueryError('order', 'must be asc or desc');
  return { offset: num('offset', 0, 0, 1_000_000), limit: num('limit', 20, 1, 100), sort, order };
}
