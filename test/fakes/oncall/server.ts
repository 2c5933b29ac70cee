/**
 * FakeOnCall: a real HTTP server on 127.0.0.1 that speaks the subset of Grafana OnCall's public
 * API dozvon uses, with its status codes, error texts and quirks.
 *
 *   const oncall = await FakeOnCall.start();            // listens on an ephemeral port
 *   const alice = oncall.state.addUser({ email: 'alice@example.com', token: 'tok-alice' });
 *   const integ = oncall.state.addIntegration({ name: 'Prod' });
 *   const g = oncall.state.addAlertGroup({ integrationId: integ.id, title: 'High CPU on db-1.example.com' });
 *   const client = new HttpOnCallClient({ baseUrl: oncall.url, token: 'tok-alice' });
 *   ...
 *   expect(oncall.requests.map((r) => `${r.method} ${r.path}`)).to.include(`POST /api/v1/alert_groups/${g.id}/acknowledge`);
 *   await oncall.close();
 *
 * Seeding: `oncall.state.addUser / addTeam / addIntegration / addSchedule / addAlertGroup / addAlert`
 * (see state.ts). Inspect: `oncall.state.groups`, `.notes`, `.pages`, and `oncall.requests`
 * (method, path, query, headers, body of every request, in order).
 *
 * Quirks reproduced: raw-token auth with 403 "Invalid token." (never 401); actions attributed to
 * the token owner; 200 with an empty body for actions; 400 {"detail": "Can't acknowledge an
 * acknowledged alert group"} etc. in OnCall's check order; `state=new` filter vs `"state":
 * "firing"` objects; `team` of direct paging defaulting to the token user's UI team (so users +
 * no explicit `"team": null` → 400 "users and team are mutually exclusive"); page-number
 * pagination where a page past the end returns the last page; optional trailing slashes.
 *
 * Knobs: `setDown('refused' | 503 | false)` (stop listening on the port / answer 503 / back up),
 * `setDelay(ms, count?)` (answer late), `forbid(token)` (403 on every call with that token),
 * `failNext(n, {status, retryAfter?})` (e.g. 429 with Retry-After), `pageSize` per list,
 * `onPage(fn)` (called after each accepted direct page, e.g. to make the test send make_call).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeOnCallState, type FakePage } from './state';
import { route, type FakeReply, type RouteContext } from './routes';

export interface RecordedRequest {
  /** When it arrived (epoch ms), before any configured delay. */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The user the token belongs to, if any. */
  userId: string | null;
}

export interface FakeOnCallOptions {
  now?: () => number;
  /** Web base used in permalinks; default http://grafana.test/ */
  webBase?: string;
}

export class FakeOnCall {
  readonly state: FakeOnCallState;
  readonly requests: RecordedRequest[] = [];
  /** Page sizes per list; OnCall uses 50 (users 100). Tests shrink them to exercise pagination. */
  readonly pageSize: Record<string, number> = { default: 50, users: 100 };
  private down: false | 'refused' | 503 = false;
  private delay = { ms: 0, count: Infinity };
  private failures: { count: number; status: number; retryAfter?: number } = { count: 0, status: 500 };
  private readonly forbidden = new Set<string>();
  private pageHooks: ((page: FakePage) => void | Promise<void>)[] = [];
  private server: http.Server;
  private port = 0;

  private constructor(opts: FakeOnCallOptions) {
    this.state = new FakeOnCallState(opts.now ?? Date.now, opts.webBase ?? 'http://grafana.test/');
    this.server = this.makeServer();
  }

  static async start(opts: FakeOnCallOptions = {}): Promise<FakeOnCall> {
    const f = new FakeOnCall(opts);
    await f.listen(0);
    return f;
  }

  /** Base URL of the engine, ending in `/` (the client appends `api/v1/...`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async setDown(mode: false | 'refused' | 503): Promise<void> {
    const wasRefused = this.down === 'refused';
    this.down = mode;
    if (mode === 'refused' && !wasRefused) await this.stopListening();
    if (mode !== 'refused' && wasRefused) {
      this.server = this.makeServer();
      await this.listen(this.port);
    }
  }

  /** Delays the next `count` answers (default: all) by ms. */
  setDelay(ms: number, count = Infinity): void {
    this.delay = { ms, count };
  }

  forbid(token: string): void {
    this.forbidden.add(token);
  }

  failNext(count: number, opts: { status: number; retryAfter?: number }): void {
    this.failures = { count, ...opts };
  }

  onPage(fn: (page: FakePage) => void | Promise<void>): void {
    this.pageHooks.push(fn);
  }

  /** Requests whose path starts with the prefix (e.g. '/api/v1/escalation'). */
  requestsTo(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  async close(): Promise<void> {
    if (this.down !== 'refused') await this.stopListening();
  }

  private makeServer(): http.Server {
    return http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { detail: `fake engine error: ${String(err)}` } });
      });
    });
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const token = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const userId = this.state.tokens.get(token) ?? null;
    this.requests.push({
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(raw, req.headers['content-type']),
      userId,
    });
    if (this.delay.ms > 0 && this.delay.count > 0) {
      this.delay.count--;
      await new Promise((r) => setTimeout(r, this.delay.ms));
    }
    if (this.down === 503) return send(res, { status: 503, body: 'Service Unavailable', text: true });
    if (this.failures.count > 0) {
      this.failures.count--;
      const headers = this.failures.retryAfter !== undefined ? { 'Retry-After': String(this.failures.retryAfter) } : undefined;
      const body =
        this.failures.status === 429
          ? { detail: `Request was throttled. Expected available in ${this.failures.retryAfter ?? 1} seconds.` }
          : { detail: 'Server Error (500)' };
      return send(res, { status: this.failures.status, body, headers });
    }
    if (!userId) return send(res, { status: 403, body: { detail: 'Invalid token.' } });
    if (this.forbidden.has(token))
      return send(res, { status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    const ctx: RouteContext = {
      state: this.state,
      method: req.method ?? 'GET',
      path: url.pathname.replace(/\/+$/, ''),
      query: url.searchParams,
      body: this.requests[this.requests.length - 1].body,
      user: this.state.users.get(userId)!,
      base: this.url,
      fullPath: url.pathname,
      pageSize: (list) => this.pageSize[list] ?? this.pageSize.default,
      paged: async (page) => {
        for (const hook of this.pageHooks) await hook(page);
      },
    };
    send(res, await route(ctx));
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return null;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send(res: http.ServerResponse, reply: FakeReply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload = '';
  if (reply.body !== undefined) {
    payload = reply.text ? String(reply.body) : JSON.stringify(reply.body);
    headers['Content-Type'] = reply.text ? 'text/plain' : 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
