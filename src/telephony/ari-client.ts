/**
 * The only file that imports ari-client (2.2.0, untyped): the few operations dozvon uses, typed,
 * with a deadline on every call. ari-client offers no AbortSignal, so a deadline rejects the
 * caller's promise and the late reply is ignored.
 */
import type { EventEmitter } from 'node:events';
import { AppError } from '../core/errors';
import { describeNetError } from '../core/net-hint';
import { AriRest } from './ari-rest';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ari = require('ari-client') as { connect(url: string, user: string, pass: string): Promise<AriClient> };

// swagger-client 2.0.26 (inside ari-client) installs a global `log` that prints arrays to stdout
// and keeps every message forever; it would break our JSON-lines log and leak memory.
(globalThis as { log?: unknown }).log = () => undefined;

// ari-client re-opens a dropped event socket with backoff-func, 100 ms doubling up to 10 s, 10 tries.
// On a real Asterisk that restarts in ~3.5 s the tries at 3.1 s and 6.3 s meant dozvon came back
// after 6.4 s (12.7 s after a 7 s outage). Capped at 500 ms, a restarted Asterisk is heard within
// half a second; after 40 tries (~20 s) ari-client gives up and AriServer rebuilds the client.
type BackoffOptions = { delay?: number; maxDelay?: number; maxRetries?: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const backoff = require(require.resolve('backoff-func', { paths: [require.resolve('ari-client')] })) as {
  create(o?: BackoffOptions): unknown;
  dozvonCapped?: boolean;
};
if (!backoff.dozvonCapped) {
  const create = backoff.create.bind(backoff);
  backoff.create = (o: BackoffOptions = {}) => create({ maxDelay: 500, maxRetries: 40, ...o });
  backoff.dozvonCapped = true;
}

type Id = { channelId: string };

/** The slice of ari-client's generated API that dozvon calls. Names follow Asterisk's swagger nicknames. */
export interface AriClient extends EventEmitter {
  start(apps: string): Promise<void>;
  stop(): void;
  channels: {
    originate(p: {
      endpoint: string;
      app: string;
      appArgs?: string;
      callerId?: string;
      timeout?: number;
      channelId: string;
      otherChannelId?: string;
      /** Set on the channel as Asterisk creates it (functions too: `TALK_DETECT(set)`). */
      variables?: Record<string, string>;
    }): Promise<AriChannel>;
    get(p: Id): Promise<AriChannel>;
    answer(p: Id): Promise<void>;
    hangup(p: Id & { reason?: string }): Promise<void>;
    playWithId(p: Id & { playbackId: string; media: string[]; lang?: string }): Promise<unknown>;
    record(
      p: Id & { name: string; format: string; maxDurationSeconds?: number; beep?: boolean; ifExists?: string; terminateOn?: string },
    ): Promise<unknown>;
  };
  playbacks: { stop(p: { playbackId: string }): Promise<void> };
  bridges: {
    create(p: { type: string; bridgeId: string }): Promise<unknown>;
    addChannel(p: { bridgeId: string; channel: string[] }): Promise<void>;
    destroy(p: { bridgeId: string }): Promise<void>;
  };
  recordings: { stop(p: { recordingName: string }): Promise<void> };
  asterisk: { ping(): Promise<unknown> };
}

export interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller?: { name: string; number: string };
}

/** Raw event JSON as Asterisk sent it (ari-client passes it as the first listener argument). */
export interface AriEvent {
  type: string;
  channel?: AriChannel;
  peer?: AriChannel;
  playback?: { id: string; state: string; target_uri?: string };
  recording?: { name: string; state: string; duration?: number };
  args?: string[];
  cause?: number;
  /** The technology's own cause (for PJSIP the SIP response code, e.g. 503); Asterisk 22.7 and later. */
  tech_cause?: number;
  soft?: boolean;
  digit?: string;
  dialstatus?: string;
  /** ChannelTalkingFinished: how long the talk lasted, in ms. */
  duration?: number;
}

/** Each client's lean REST connections, closed with it. */
const leanRests = new WeakMap<AriClient, AriRest>();

export async function connectAri(url: string, user: string, password: string, timeoutMs: number): Promise<AriClient> {
  await preflight(url, user, password, timeoutMs);
  const client = await withDeadline(ari.connect(url, user, password), timeoutMs, `connect to ${url}`);
  // The requests on a burst's dial path and of the first words go the lean way (ari-rest.ts).
  const rest = new AriRest(url, user, password);
  leanRests.set(client, rest);
  client.channels.originate = ({ variables, ...p }) => rest.post('/channels', p, variables && { variables }) as Promise<AriChannel>;
  client.channels.playWithId = ({ channelId, playbackId, ...q }) =>
    rest.post(`/channels/${encodeURIComponent(channelId)}/play/${encodeURIComponent(playbackId)}`, q);
  return client;
}

/**
 * swagger-client 2.0.26 *throws* (a string, from inside an HTTP callback) when it cannot load the
 * API description, e.g. on a 401: an uncaught exception that would kill the process. So the
 * description is fetched once here first, with the same credentials, and ari-client is only asked
 * to connect when that works.
 */
async function preflight(url: string, user: string, password: string, timeoutMs: number): Promise<void> {
  const docs = `${new URL(url).origin}/ari/api-docs/resources.json`;
  let res: Response;
  try {
    res = await fetch(docs, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'), Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AppError('ari-unreachable', `connect to ${url}: ${describeNetError(err)}`, { temporary: true, cause: err });
  }
  if (res.status === 401)
    throw new AppError(
      'ari-auth',
      `connect to ${url}: 401 Authentication required: wrong ARI credentials (check DOZVON_ARI_USER / DOZVON_ARI_PASSWORD against ari.conf)`,
      { temporary: true },
    );
  const body = (await res.json().catch(() => null)) as { apis?: unknown } | null;
  if (!res.ok || !body || !Array.isArray(body.apis))
    throw new AppError('ari-error', `connect to ${url}: HTTP ${res.status}, no ARI API description`, { temporary: true });
}

/**
 * Whether some WebSocket is subscribed to the Stasis app on this Asterisk right now: ARI's
 * `GET /applications/<app>` finds an app only while a client listens for it. Asked before our
 * own WebSocket opens, because Asterisk gives the app to the newest WebSocket, taking it from whoever holds it.
 */
export async function appSubscribed(url: string, user: string, password: string, app: string, timeoutMs: number): Promise<boolean> {
  const target = `${new URL(url).origin}/ari/applications/${encodeURIComponent(app)}`;
  let res: Response;
  try {
    res = await fetch(target, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'), Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AppError('ari-unreachable', `connect to ${url}: ${describeNetError(err)}`, { temporary: true, cause: err });
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  if (res.status === 401)
    throw new AppError(
      'ari-auth',
      `connect to ${url}: 401 Authentication required: wrong ARI credentials (check DOZVON_ARI_USER / DOZVON_ARI_PASSWORD against ari.conf)`,
      { temporary: true },
    );
  throw new AppError('ari-error', `connect to ${url}: GET /ari/applications/${app} answered HTTP ${res.status}`, { temporary: true });
}

/** How long a stopping client waits for Asterisk to answer its close frame before dropping the socket. */
const CLOSE_GRACE_MS = 1000;
/** WebSocket.CLOSED. */
const CLOSED = 3;

/**
 * Stops the client and its event socket. ari-client's stop() starts the close handshake and
 * leaves the socket open until Asterisk answers it; an Asterisk that never did held a stopping
 * dozvon for ws's 30 s close timeout. After a short grace the socket is dropped.
 */
export function stopClient(client: AriClient): void {
  leanRests.get(client)?.close();
  client.stop();
  const ws = (client as unknown as { _ws?: { readyState: number; terminate(): void; once(e: 'close', f: () => void): void } })._ws;
  if (!ws || ws.readyState === CLOSED) return;
  const timer = setTimeout(() => ws.readyState !== CLOSED && ws.terminate(), CLOSE_GRACE_MS);
  // The timer must not be what keeps a stopping process alive; the socket does, until it fires.
  timer.unref();
  ws.once('close', () => clearTimeout(timer));
}

/** Rejects with a temporary AppError when the promise does not settle in time; errors are normalized. */
export async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('ari-timeout', `${what}: no reply within ${ms} ms`, { temporary: true })), ms);
  });
  try {
    return await Promise.race([
      Promise.resolve(p).catch((err: unknown) => {
        throw ariError(err, what);
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * ari-client turns an error reply into `new Error(<body text>)` and drops the status, or rejects
 * with swagger's raw response object when the body is empty; read back what we can.
 */
export function ariError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const raw =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err !== null
        ? String((err as { status?: unknown }).status ?? '')
        : String(err);
  let message = raw;
  try {
    const body = JSON.parse(raw) as { message?: string; error?: string };
    message = body.message ?? body.error ?? raw;
  } catch {
    // not JSON: a network error text
  }
  const notFound = /not found/i.test(message);
  const permanent =
    notFound || /allocation failed|must be specified|invalid|already exists|not in (a )?stasis|failed to execute function/i.test(message);
  return new AppError(notFound ? 'ari-not-found' : 'ari-error', `${what}: ${message || 'request failed'}`, {
    temporary: !permanent,
    cause: err,
  });
}
