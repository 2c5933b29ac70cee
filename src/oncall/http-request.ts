/**
 * One HTTP exchange with OnCall's public API: raw-token auth, a timeout per try, retries only
 * on temporary errors (network, 5xx, 429 honouring Retry-After), and errors that say which
 * call failed and what OnCall answered. Uses Node's global fetch.
 */
import { AppError } from '../core/errors';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';

/** An HTTP answer OnCall gave (or did not give: status 0 for network errors and timeouts). */
export class OnCallError extends AppError {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly what: string,
    opts: { temporary: boolean; cause?: unknown; body?: unknown },
  ) {
    super(status === 0 ? 'oncall-unreachable' : `oncall-${status}`, `OnCall ${what}: ${status === 0 ? '' : status + ' '}${detail}`, {
      temporary: opts.temporary,
      cause: opts.cause,
      details: { status, body: opts.body },
    });
    this.name = 'OnCallError';
  }
}

export interface RequestSettings {
  baseUrl: string;
  token: string;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  retries: number;
  /** Longest Retry-After we are willing to wait; beyond it the 429 is returned as an error. */
  maxRetryAfterMs: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the base URL (`api/v1/...`) or an absolute URL (a `next` page link). */
  path: string;
  query?: [string, string][];
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
  retries?: number;
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/** Sends the request, retrying temporary failures; returns any non-error answer (< 400) or a 400 the caller may treat as an outcome. */
export async function sendRequest(s: RequestSettings, spec: RequestSpec, accept400 = false): Promise<RawResponse> {
  const url = buildUrl(s.baseUrl, spec.path, spec.query);
  const what = `${spec.method} ${url.pathname}`;
  const tries = 1 + Math.max(0, spec.retries ?? s.retries);
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await once(s, spec, url, what);
      if (res.status < 400 || (accept400 && res.status === 400)) return res;
      throw httpError(res, what);
    } catch (err) {
      const e = err instanceof OnCallError ? err : new OnCallError(0, String(err), what, { temporary: true, cause: err });
      if (!e.temporary || attempt >= tries || spec.signal?.aborted) throw e;
      const wait = backoffMs(e, attempt);
      if (wait > s.maxRetryAfterMs) throw e;
      s.logger.warn({ call: what, status: e.status, attempt, waitMs: wait }, 'OnCall call failed, retrying');
      await s.clock.sleep(wait, spec.signal).catch((abortReason: unknown) => {
        throw new OnCallError(0, 'cancelled while waiting to retry', what, { temporary: true, cause: abortReason });
      });
    }
  }
}

async function once(s: RequestSettings, spec: RequestSpec, url: URL, what: string): Promise<RawResponse & { headers: Headers }> {
  const timeout = new AbortController();
  const timer = s.clock.setTimeout(() => timeout.abort(), s.timeoutMs);
  const signal = spec.signal ? AbortSignal.any([spec.signal, timeout.signal]) : timeout.signal;
  const headers: Record<string, string> = { Authorization: spec.token ?? s.token, Accept: 'application/json' };
  if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const res = await fetch(url, {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal,
    });
    const text = await res.text();
    return { status: res.status, body: parseBody(text), headers: res.headers };
  } catch (err) {
    if (timeout.signal.aborted && !spec.signal?.aborted) {
      throw new OnCallError(0, `no answer within ${s.timeoutMs} ms`, what, { temporary: true, cause: err });
    }
    if (spec.signal?.aborted) throw new OnCallError(0, 'cancelled', what, { temporary: true, cause: err });
    throw new OnCallError(0, `unreachable (${networkReason(err)})`, what, { temporary: true, cause: err });
  } finally {
    timer.cancel();
  }
}

function httpError(res: RawResponse & { headers?: Headers }, what: string): OnCallError {
  const temporary = res.status >= 500 || res.status === 429 || res.status === 408;
  const err = new OnCallError(res.status, describeBody(res.body), what, { temporary, body: res.body });
  const retryAfter = res.headers?.get('retry-after');
  if (retryAfter) (err.details as Record<string, unknown>).retryAfterMs = parseRetryAfter(retryAfter);
  return err;
}

function backoffMs(e: OnCallError, attempt: number): number {
  const ra = (e.details as { retryAfterMs?: number | null } | undefined)?.retryAfterMs;
  if (typeof ra === 'number') return ra;
  return Math.min(2000, 250 * 2 ** (attempt - 1));
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(v: string, now = Date.now()): number | null {
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function buildUrl(base: string, path: string, query?: [string, string][]): URL {
  const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : base + '/');
  for (const [k, v] of query ?? []) url.searchParams.append(k, v);
  return url;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `{"detail": "…"}`, `{"field": ["msg"]}` or a bare string, as one line. */
export function describeBody(body: unknown): string {
  if (body === null || body === undefined) return '(empty body)';
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (typeof o.detail === 'string') return o.detail;
    return Object.entries(o)
      .map(([k, v]) => `${k}: ${flatten(v)}`)
      .join('; ')
      .slice(0, 300);
  }
  return String(body);
}

function flatten(v: unknown): string {
  if (Array.isArray(v)) return v.map(flatten).join(', ');
  if (v && typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${flatten(x)}`)
      .join(', ');
  return String(v);
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}
