/**
 * One HTTP call for every HTTP-based sender: a deadline on each call, network trouble and
 * 408/425/429/5xx marked temporary, other 4xx permanent. URLs may carry secrets (Telegram puts
 * the bot token in the path), so no error message ever contains the URL.
 */
import { AppError } from '../core/errors';
import { maskPhone } from '../core/mask';

export interface HttpRequest {
  /** Sender name, used in error messages instead of the URL. */
  sender: string;
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** Parsed body when it was JSON, else null. */
  json: unknown;
  headers: Headers;
}

const TEMPORARY_STATUS = new Set([408, 425, 429]);

export function isTemporaryStatus(status: number): boolean {
  return status >= 500 || TEMPORARY_STATUS.has(status);
}

/** Performs the request; rejects only for network trouble, timeouts and aborts (all temporary). */
export async function httpCall(req: HttpRequest): Promise<HttpAnswer> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  let res: Response;
  try {
    res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'manual' });
  } catch (e) {
    const timedOut = deadline.aborted && !req.signal?.aborted;
    const why = timedOut ? `no answer within ${req.timeoutMs} ms` : req.signal?.aborted ? 'cancelled' : causeText(e);
    throw new AppError('sender-unreachable', `${req.sender}: ${why}`, { temporary: true, cause: e });
  }
  let text = '';
  try {
    text = await res.text();
  } catch (e) {
    throw new AppError('sender-unreachable', `${req.sender}: reading the answer failed: ${causeText(e)}`, { temporary: true, cause: e });
  }
  return { status: res.status, text, json: parseJson(text), headers: res.headers };
}

/** The AppError for a non-2xx answer. */
export function statusError(sender: string, status: number, body: string, detail?: string): AppError {
  const temporary = isTemporaryStatus(status);
  const what = detail ?? snippet(body);
  return new AppError(temporary ? 'sender-temporary' : 'sender-rejected', `${sender}: HTTP ${status}${what ? `: ${what}` : ''}`, {
    temporary,
    details: { status },
  });
}

/** A short, number-masked excerpt of a remote answer, safe for logs. */
export function snippet(body: string, max = 160): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? flat.slice(0, max) + '…' : flat;
  return cut.replace(/\+?\d{7,}/g, (n) => maskPhone(n));
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // not JSON: callers fall back to the text
  }
}

function causeText(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; message?: string };
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/** The first id-like field of a JSON answer, for receipts. */
export function pickId(json: unknown, fields: readonly string[] = ['id', 'message_id', 'messageId', 'sid', 'uuid']): string | null {
  if (!json || typeof json !== 'object') return null;
  const o = json as Record<string, unknown>;
  for (const f of fields) {
    const v = o[f];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return null;
}
