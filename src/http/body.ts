/**
 * Request bodies, parsed late and small. Nothing is read at the application level: each route
 * that takes a body mounts `parseBody(...)` after its authentication, with the content types it
 * accepts, a size limit that fits what its callers send, and a nesting-depth limit checked on the
 * raw text before JSON.parse sees it. Other content types are left unread (`req.body` stays
 * undefined, and the route's own validation answers). Every problem with a body is a 4xx:
 * 400 malformed (bad JSON, bad UTF-8, too deep, a NUL where none may be), 413 too large or too
 * many form fields, 415 a Content-Encoding or charset we do not take. Compressed bodies are
 * refused: none of our callers compress, and inflating is where size limits are easiest to get wrong.
 */
import type { IncomingMessage } from 'node:http';
import { requestIs, type RequestHandler, type Response } from './express';
import type { JsonAnswer } from './answer';

export type BodyKind = 'json' | 'form' | 'text';

export interface BodyOptions {
  /** Content types this route reads; anything else is not read at all. */
  accept: readonly BodyKind[];
  /** Bytes, after which 413. */
  limit: number;
  /** Deepest nesting of JSON arrays and objects (default 32). */
  depth?: number;
  /** Most form fields (default 100). */
  fields?: number;
  /**
   * A NUL character in a string: 'reject' (400, the default), 'strip' (text relayed from OnCall,
   * where refusing loses a page) or 'field' (left for the route's field validation, which names the field).
   */
  nul?: NulPolicy;
}

export type NulPolicy = 'reject' | 'strip' | 'field';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const KB = 1024;

/** The limits each kind of caller gets (README "Security" lists them). */
export const BODY_LIMITS = {
  /** make_call, send_sms, integrations: two short form fields; a 1024-character Cyrillic message is ~6 KB URL-encoded. */
  oncallForm: { accept: ['form', 'json'], limit: 8 * KB, depth: 4, nul: 'field' },
  /** fcm_relay: a serialized Firebase message (title, subtitle, data, apns). */
  oncallPush: { accept: ['json'], limit: 16 * KB, depth: 16, nul: 'strip' },
  /** OnCall's outgoing webhook carries the alert payload as the integration received it. */
  oncallWebhook: { accept: ['json'], limit: 64 * KB, depth: 32, nul: 'strip' },
  /** Opsgenie heartbeat create/update (a description may be 10 000 characters). */
  heartbeatApi: { accept: ['json'], limit: 64 * KB, depth: 8 },
  /** Opsgenie alert create: description 15 000, note 25 000, details 8 000 characters, plus lists; Cyrillic doubles the bytes. */
  alertApi: { accept: ['json'], limit: 256 * KB, depth: 8 },
  /** healthchecks `/log` message. */
  pingLog: { accept: ['text', 'json', 'form'], limit: 16 * KB, depth: 8 },
  /** An Alertmanager notification is a group of alerts with their labels and annotations. */
  alertmanager: { accept: ['json'], limit: 256 * KB, depth: 8 },
  /** Admin API: users (with contacts), test calls, verification. */
  admin: { accept: ['json'], limit: 64 * KB, depth: 8 },
  /** Console forms: a person, a heartbeat, or a pasted YAML/CSV import of a few hundred people. */
  consoleForm: { accept: ['form'], limit: 512 * KB, depth: 1, fields: 200, nul: 'field' },
  /** Browser forms: status-page login, ack and verification pages. */
  pageForm: { accept: ['form'], limit: 4 * KB, depth: 1, fields: 10 },
} as const satisfies Record<string, BodyOptions>;

/**
 * Middleware that reads and parses the body into `req.body`. `onError` shapes the 4xx answer for
 * the route's protocol; the default is `{error, detail}` JSON.
 */
export function parseBody(opts: BodyOptions, onError: (res: Response, e: BodyError) => void = sendBodyError): RequestHandler {
  return (req, res, next) => {
    readBody(req, res, opts, onError).then((body) => {
      if (body === BODY_REFUSED) return;
      req.body = body;
      next();
    }, next);
  };
}

export const BODY_REFUSED: unique symbol = Symbol('body refused');

/**
 * The same for a handler that authenticates by itself: the parsed body (undefined when the content
 * type is not one `opts` accepts), or BODY_REFUSED once the 4xx has been sent.
 */
export async function readBody<A extends JsonAnswer>(
  req: IncomingMessage,
  res: A,
  opts: BodyOptions,
  onError: (res: A, e: BodyError) => void = sendBodyError,
): Promise<unknown> {
  const kind = kindOf(req, opts.accept);
  if (kind === null) return undefined;
  try {
    return await readParsed(req, kind, opts);
  } catch (err) {
    const e = err instanceof BodyError ? err : new BodyError(400, 'The request body could not be read.');
    // A refused body may still be arriving: do not keep reading it to keep the connection.
    if (!req.readableEnded) res.set('Connection', 'close');
    onError(res, e);
    return BODY_REFUSED;
  }
}

export function sendBodyError(res: JsonAnswer, e: BodyError): void {
  const error = e.status === 413 ? 'too-large' : e.status === 415 ? 'unsupported-body' : 'invalid-body';
  res.status(e.status).json({ error, detail: e.message });
}

/** DRF's shape for the OnCall contract's routes: `{"detail": …}` with the texts the cloud stand-in always gave. */
export function sendDetailBodyError(res: JsonAnswer, e: BodyError): void {
  res.status(e.status).json({
    detail: e.status === 413 ? 'Request body too large.' : e.status === 415 ? 'Unsupported body encoding.' : 'Malformed request body.',
  });
}

function kindOf(req: IncomingMessage, accept: readonly BodyKind[]): BodyKind | null {
  // Null without a body (no Content-Length and no Transfer-Encoding).
  if (accept.includes('json') && requestIs(req, ['application/json', 'application/*+json'])) return 'json';
  if (accept.includes('form') && requestIs(req, ['application/x-www-form-urlencoded'])) return 'form';
  if (accept.includes('text') && requestIs(req, ['text/*'])) return 'text';
  return null;
}

async function readParsed(req: IncomingMessage, kind: BodyKind, opts: BodyOptions): Promise<unknown> {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new BodyError(415, `Unsupported charset "${charset.slice(0, 40)}": send UTF-8.`);
  const text = decodeUtf8(await readRaw(req, opts.limit));
  const nul = opts.nul ?? 'reject';
  if (kind === 'text') return cleanString(text, nul);
  if (kind === 'form') return parseForm(text, opts.fields ?? 100, nul);
  return parseJson(text, opts.depth ?? 32, nul);
}

/** The raw bytes, refusing compression and anything over `limit` (checked on Content-Length first, then as data arrives). */
export function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== '')
      return reject(new BodyError(415, 'Compressed request bodies are not accepted (Content-Encoding).'));
    const declared = req.headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) return reject(tooLarge(limit));
    if (req.readableEnded) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: BodyError | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) return done(tooLarge(limit));
      chunks.push(c);
    };
    const onEnd = () =>
      done(
        declared !== undefined && /^\d+$/.test(declared) && Number(declared) !== size
          ? new BodyError(400, 'The request body is shorter than its Content-Length.')
          : null,
      );
    const onError = () => done(new BodyError(400, 'The request body could not be read.'));
    // Closed before its end: the client went away (there is nobody to answer, but the promise must settle).
    const onClose = () => done(new BodyError(400, 'The request was aborted.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, `Request body too large (at most ${limit} bytes here).`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(buf: Buffer): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new BodyError(400, 'The request body is not valid UTF-8.');
  }
}

/** Nesting depth of JSON text, counted outside strings: a 1 MB `[[[…` is refused before JSON.parse builds it. */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function parseJson(text: string, maxDepth: number, nul: NulPolicy): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) throw new BodyError(400, `The JSON body is nested deeper than ${maxDepth} levels.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyError(400, 'Malformed JSON body.');
  }
  return cleanValue(value, nul);
}

function parseForm(text: string, maxFields: number, nul: NulPolicy): Record<string, string | string[]> {
  let fields = text === '' ? 0 : 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x26) fields++;
  if (fields > maxFields) throw new BodyError(413, `Too many form fields (at most ${maxFields}).`);
  // Repeated keys become arrays, which field validation refuses (as DRF does); no prototype to pollute.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [rawKey, rawValue] of new URLSearchParams(text)) {
    const key = cleanString(rawKey, nul);
    const value = cleanString(rawValue, nul);
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

function cleanValue(v: unknown, nul: NulPolicy): unknown {
  if (typeof v === 'string') return cleanString(v, nul);
  if (Array.isArray(v)) return v.map((x) => cleanValue(x, nul));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const key = cleanString(k, nul);
      // Defined as an own property: a "__proto__" key stays data and never becomes a prototype.
      Object.defineProperty(out, key, { value: cleanValue(x, nul), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

function cleanString(s: string, nul: NulPolicy): string {
  if (nul === 'field' || !s.includes('\u0000')) return s;
  if (nul === 'strip') return s.replace(/\u0000/g, '');
  throw new BodyError(400, 'NUL characters are not allowed in the request body.');
}
