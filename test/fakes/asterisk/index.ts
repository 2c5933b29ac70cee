/**
 * FakeAsterisk: a real HTTP + WebSocket server on 127.0.0.1 that speaks ARI the way Asterisk 22
 * does (see README.md beside this file), so tests run the
 * real `ari-client` against it.
 *
 * ```ts
 * const asterisk = await FakeAsterisk.start({ timeScale: 0.01 });   // 30 s of ringing = 300 ms
 * // asterisk.url, asterisk.user, asterisk.password → DOZVON_ARI_URL / _USER / _PASSWORD
 *
 * // Scripted phones, keyed by the dialled number (PJSIP/<number>@<trunk> or Local/<exten>@<ctx>):
 * asterisk.phone('1001').willAnswerAfter(1000).willPress('1', { afterPlaybackStartMs: 500 });
 * asterisk.phone('1002').willBeBusy();            // Dial BUSY, `;1` cause 0, `;2` cause 17
 * asterisk.phone('1003').willRingOut();           // originate timeout → cause 19, no final Dial
 * asterisk.phone('1004').willReject({ afterMs: 5000 });   // NOANSWER, cause 21
 * asterisk.phone('1005').willBeCongested();       // Dial CONGESTION, `;2` cause 34
 * asterisk.phone('1006').willStaySilent();        // answers, presses nothing (voicemail)
 * asterisk.phone('1007').willAnswerAfter(0).willHangUpDuringPrompt(1000);
 * // any number never given to phone(): both halves destroyed at once with cause 0, no StasisStart
 *
 * // Or drive a call step by step (a phone without a script rings until told otherwise):
 * const p = asterisk.phone('1008');
 * const call = await p.expectCall();     // waits for the originate
 * call.answer();
 * await call.expectPlayback(/incident/); // a media URI played after the previous match
 * call.press('1');
 * await call.expectHangup();             // resolves with the cause
 *
 * // Inbound hotline caller: enters Stasis(app,hotline) in state Ring; StasisEnd and nothing after it.
 * const caller = asterisk.inboundCall({ from: '+15557654321', args: ['hotline'] });
 *
 * // Knobs and evidence:
 * asterisk.restart();            // sockets close, every channel vanishes without an event
 * asterisk.restart({ downMs: 500 });  // ... and the port refuses connections for a while
 * asterisk.dropWebSockets();     // sockets close, calls go on
 * asterisk.requests / asterisk.events   // every REST request and every event sent
 * asterisk.mediaPlayed(channelId)       // media URIs played to a channel
 * asterisk.mediaFetches                 // every sound:http… GET: url, status, contentType, bytes, outcome
 * asterisk.mediaOpened                  // every media item opened: uri, lang, ok, durationMs, reason
 * await asterisk.waitForEvent('StasisEnd', (e) => e.channel.id === id);
 * await asterisk.waitFor(() => asterisk.requests.some(...), 1000, 'what');
 * await asterisk.close();
 * ```
 *
 * Media is as strict as Asterisk's (README.md, "Media"): `sound:http(s)://…` is fetched when its item
 * starts and must answer 200 with a playable WAV (PCM 16-bit mono, 8 or 16 kHz) or raw `.sln`/`.sln16`;
 * `sound:<name>` must exist for the play's `lang` in the project's sounds/ (read for real), a
 * `soundRoots` folder, or the core sounds dozvon uses (digits/*, silence/N); `number:`/`digits:` need a
 * language with digits (en, ru). An item that cannot be opened is skipped, as Asterisk 22 skips it
 * (PlaybackContinuing within a few ms); only a failed last item fails the playback. Items play for
 * their real length (× timeScale). Options: `soundRoots: [dir]` (laid out like Asterisk's sounds dir,
 * `<dir>/<lang>/<name>.wav`), `mediaDurationMs(uri)` (overrides every item's length),
 * `mediaExists(uri)` (false makes that URI missing), `mediaFetchTimeoutMs` (real ms, default 5000).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { apiDocument, declaredEventTypes } from './swagger';
import { ENTITY_ID, FakeChannel, IdSource, asteriskTime } from './model';
import { FakeCall, Hub, InboundCall, Timer } from './calls';
import { Media, MediaHub } from './media';
import { MediaOpen, MediaOpener, MediaOpenOptions } from './media-open';
import type { MediaFetch } from './media-fetch';
import { CallHandle, FakePhone, WaitFor } from './phone';
import { Reply, route } from './rest';
import { authorized, readBody, sendHttp } from './http-util';

export { CallHandle, FakePhone } from './phone';
export type { MediaFetch } from './media-fetch';
export type { MediaOpen } from './media-open';
export { FakeSoundsDir, pcmWav } from './sounds-dir';

export interface FakeAsteriskOptions extends MediaOpenOptions {
  user?: string;
  password?: string;
  /** Real ms per Asterisk ms for every scripted and protocol delay (0.01: 30 s → 300 ms). */
  timeScale?: number;
  /** How long every media item plays, in Asterisk ms, instead of the audio's real length (it must still open). */
  mediaDurationMs?: (uri: string) => number;
}

export type TrunkBehaviour = { kind: 'refuse'; cause: number; sipCode: number } | { kind: 'silent' };

export interface RequestLog {
  /** When the reply was sent. */
  at: number;
  /** When the request came in. */
  receivedAt: number;
  /** A JSON body as parsed (an originate's `variables`); null without one. */
  body: unknown;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface AriEvent {
  type: string;
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface EventLog {
  at: number;
  app: string;
  delivered: boolean;
  event: AriEvent;
}

export class FakeAsterisk implements Hub, MediaHub {
  readonly user: string;
  readonly password: string;
  readonly timeScale: number;
  readonly entityId = ENTITY_ID;
  readonly ids = new IdSource();
  readonly media: Media;
  private readonly opener: MediaOpener;
  readonly requests: RequestLog[] = [];
  readonly events: EventLog[] = [];
  private readonly changes = new EventEmitter();
  private readonly server = http.createServer((req, res) => void this.onRequest(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<string, WebSocket>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly calls = new Map<string, FakeCall>();
  private readonly phones = new Map<string, FakePhone>();
  private readonly trunks = new Map<string, TrunkBehaviour>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly conns = new Set<Socket>();
  /** TCP connections accepted so far (HTTP and WebSocket): whether clients keep theirs alive. */
  connectionsAccepted = 0;
  /** The running modules GET /asterisk/modules/{name} knows (a test deletes one to play an Asterisk without it). */
  readonly modules = new Set(['func_talkdetect.so', 'res_stasis.so', 'res_ari.so', 'res_pjsip.so', 'res_http_media_cache.so']);
  private readonly declared = declaredEventTypes();
  private readonly epoch = Date.now();
  private startup = Date.now();
  private port = 0;
  /** Ends a restart's down time early: close() must not find the port listening again afterwards. */
  private endDownTime: (() => void) | null = null;
  private closed = false;

  static async start(opts: FakeAsteriskOptions = {}): Promise<FakeAsterisk> {
    const f = new FakeAsterisk(opts);
    await f.listen(0);
    return f;
  }

  constructor(private readonly opts: FakeAsteriskOptions = {}) {
    this.user = opts.user ?? 'dozvon';
    this.password = opts.password ?? 'secret';
    this.timeScale = opts.timeScale ?? 1;
    this.media = new Media(this);
    this.opener = new MediaOpener(opts);
    this.changes.setMaxListeners(0);
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
    this.server.on('connection', (s) => {
      this.connectionsAccepted++;
      this.conns.add(s);
      s.on('close', () => this.conns.delete(s));
    });
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- Hub / MediaHub -------------------------------------------------------------------------

  /** Asterisk time: wall time stretched by 1 / timeScale, so durations read as scripted. */
  now(): number {
    return this.epoch + (Date.now() - this.epoch) / this.timeScale;
  }

  timestamp(): string {
    return asteriskTime(Date.now());
  }

  after(ms: number, fn: () => void): Timer {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
        this.changed();
      },
      Math.max(0, ms * this.timeScale),
    );
    this.timers.add(t);
    return {
      cancel: () => {
        clearTimeout(t);
        this.timers.delete(t);
      },
    };
  }

  hasApp(app: string): boolean {
    return this.sockets.has(app);
  }

  async openMedia(uri: string, lang: string): Promise<{ ok: true; durationMs: number } | { ok: false; fetched: boolean }> {
    const opened = await this.opener.open(uri, lang, (name) => this.media.stored.get(name)?.durationMs);
    this.changed();
    if (!opened.ok || !this.opts.mediaDurationMs) return opened;
    return { ok: true, durationMs: this.opts.mediaDurationMs(uri) };
  }

  cancelOpens(): void {
    this.opener.abortAll();
  }

  /** `GET /ari/sounds/{id}`: the Sound object, or null (404) when it is installed nowhere. */
  sound(id: string): Record<string, unknown> | null {
    const formats = this.opener.sounds.describe(id);
    return formats.length ? { id, formats } : null;
  }

  /** Every `sound:http(s)://…` fetch, in order. */
  get mediaFetches(): readonly MediaFetch[] {
    return this.opener.fetches;
  }

  /** Every media item opened (or refused), in order. */
  get mediaOpened(): readonly MediaOpen[] {
    return this.opener.opened;
  }

  playbackStarted(ch: FakeChannel, uri: string): void {
    this.calls.get(ch.id)?.playbackStarted(uri);
  }

  failPlaybacks(ch: FakeChannel): void {
    this.media.hangingUp(ch);
  }

  dtmf(ch: FakeChannel, digit: string): void {
    this.media.dtmf(ch, digit);
  }

  forget(ch: FakeChannel): void {
    this.media.hangingUp(ch);
    this.channels.delete(ch.id);
    this.calls.delete(ch.id);
    this.changed();
  }

  emitChannel(ch: FakeChannel, type: string, fields: Record<string, unknown> = {}): void {
    this.emitApp(ch.app, type, { ...fields, channel: ch.snapshot() });
  }

  emitApp(app: string | null, type: string, fields: Record<string, unknown>): void {
    if (!app) return;
    if (!this.declared.has(type)) throw new Error(`fake Asterisk bug: event ${type} is not declared in events.json`);
    const event: AriEvent = { type, timestamp: this.timestamp(), ...fields, asterisk_id: ENTITY_ID, application: app };
    const ws = this.sockets.get(app);
    const delivered = !!ws && ws.readyState === WebSocket.OPEN;
    if (delivered) ws.send(JSON.stringify(event));
    this.events.push({ at: Date.now(), app, delivered, event });
    this.changed();
  }

  // ---- registry used by the REST routes --------------------------------------------------------

  register(call: FakeCall, chans: Array<FakeChannel | null>): void {
    for (const ch of chans) {
      if (!ch) continue;
      this.channels.set(ch.id, ch);
      this.calls.set(ch.id, call);
    }
    this.changed();
  }

  channel(id: string): FakeChannel | undefined {
    return this.channels.get(id);
  }

  callOf(ch: FakeChannel): FakeCall | undefined {
    return this.calls.get(ch.id);
  }

  liveChannels(): FakeChannel[] {
    return [...this.channels.values()];
  }

  knownPhone(number: string): FakePhone | undefined {
    return this.phones.get(number);
  }

  appNames(): string[] {
    return [...this.sockets.keys()];
  }

  appOfBridge(b: { channels: string[] }): string | null {
    for (const id of b.channels) {
      const app = this.channels.get(id)?.app;
      if (app) return app;
    }
    return this.appNames()[0] ?? null;
  }

  applicationJson(name: string): Record<string, unknown> {
    const channelIds = this.liveChannels()
      .filter((c) => c.app === name)
      .map((c) => c.id);
    return { name, channel_ids: channelIds, bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] };
  }

  info(): Record<string, unknown> {
    return {
      build: { os: 'Linux', kernel: 'fake', machine: 'x86_64', options: '', date: '', user: 'fake' },
      system: { version: '22.10.1', entity_id: ENTITY_ID },
      config: { name: '', default_language: 'en', setid: { user: '', group: '' } },
      status: { startup_time: asteriskTime(this.startup), last_reload_time: asteriskTime(this.startup) },
    };
  }

  uuid(): string {
    return randomUUID();
  }

  // ---- test DSL --------------------------------------------------------------------------------

  readonly waitFor: WaitFor = <T>(check: () => T | undefined | null | false, timeoutMs = 2000, what = 'condition'): Promise<T> => {
    return new Promise<T>((resolve, reject) => {
      const test = (): boolean => {
        const v = check();
        if (v === undefined || v === null || v === false) return false;
        cleanup();
        resolve(v as T);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Asterisk: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const onChange = () => void test();
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off('change', onChange);
      };
      this.changes.on('change', onChange);
      test();
    });
  };

  private changed(): void {
    this.changes.emit('change');
  }

  /** The scripted phone for a number (created on first use; unknown numbers do not exist). */
  phone(number: string): FakePhone {
    let p = this.phones.get(number);
    if (!p) {
      p = new FakePhone(number, this.waitFor);
      this.phones.set(number, p);
    }
    return p;
  }

  /**
   * Makes every call on a PJSIP trunk fail at the carrier before anything rings: `refuse` answers
   * the INVITE with `sipCode` (cause and `tech_cause` on the channel), `silent` never answers it.
   * `null` makes the trunk carry calls to the scripted phones again.
   */
  trunk(name: string, behaviour: TrunkBehaviour | null): void {
    if (behaviour) this.trunks.set(name, behaviour);
    else this.trunks.delete(name);
  }

  trunkBehaviour(name: string | undefined): TrunkBehaviour | undefined {
    return name === undefined ? undefined : this.trunks.get(name);
  }

  /** A caller dials the hotline and lands in `Stasis(app, ...args)` in state Ring. */
  inboundCall(opts: { from: string; args?: string[]; app?: string; name?: string; script?: (call: CallHandle) => void }): CallHandle {
    const app = opts.app ?? this.appNames()[0];
    if (!app || !this.hasApp(app)) throw new Error('fake Asterisk: no Stasis app connected to take the inbound call');
    const args = opts.args ?? ['hotline'];
    const ch = new FakeChannel(this.ids.channelId(), `Local/s@hotline-${this.ids.localTag()};2`, {
      app,
      caller: { name: opts.name ?? '', number: opts.from },
      context: 'hotline',
      exten: 's',
      now: Date.now(),
    });
    ch.viaDialplan = true;
    ch.dialplan = { ...ch.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    const call = new InboundCall(this, ch, opts.from);
    this.register(call, [ch]);
    const handle = new CallHandle(call, this.waitFor);
    opts.script?.(handle);
    call.begin(args);
    return handle;
  }

  mediaPlayed(channelId: string): string[] {
    const ch = this.channels.get(channelId);
    if (ch) return [...ch.played];
    // Every item has its PlaybackStarted; PlaybackContinuing names the item that just ended.
    const ev = this.events.filter((e) => e.event.type === 'PlaybackStarted');
    return ev.filter((e) => e.event.playback.target_uri === `channel:${channelId}`).map((e) => e.event.playback.media_uri as string);
  }

  waitForEvent(type: string, pred: (e: AriEvent) => boolean = () => true, timeoutMs = 2000): Promise<AriEvent> {
    return this.waitFor(() => this.events.find((e) => e.event.type === type && pred(e.event))?.event, timeoutMs, `event ${type}`);
  }

  waitForRequest(method: string, path: RegExp, timeoutMs = 2000): Promise<RequestLog> {
    return this.waitFor(() => this.requests.find((r) => r.method === method && path.test(r.path)), timeoutMs, `${method} ${path}`);
  }

  /** Asterisk restarts: sockets close, channels vanish without events; optionally the port refuses connections for `downMs` real ms. */
  async restart(opts: { downMs?: number } = {}): Promise<void> {
    for (const call of [...this.calls.values()]) call.vanish();
    this.media.clear();
    this.channels.clear();
    this.calls.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.startup = Date.now();
    this.dropWebSockets();
    if (opts.downMs && opts.downMs > 0) {
      const port = this.port;
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        for (const s of this.conns) s.destroy();
      });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, opts.downMs);
        this.endDownTime = () => (clearTimeout(t), resolve());
      });
      this.endDownTime = null;
      if (this.closed) return;
      await this.listen(port);
    }
    this.changed();
  }

  /**
   * The open event sockets leave a client's close frame unanswered, as an Asterisk too busy to
   * answer it. Resolves with each socket's end, as seen from here.
   */
  leaveCloseFramesUnanswered(): Promise<void>[] {
    return [...this.wss.clients].map((ws) => {
      // ws answers a close frame by calling close() on its side: without it, nothing goes back.
      ws.close = () => undefined;
      const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
      return new Promise<void>((resolve) => socket.once('close', () => resolve()));
    });
  }

  /** Closes every event WebSocket (network blip); calls go on. */
  dropWebSockets(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.sockets.clear();
    this.changed();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.endDownTime?.();
    this.media.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.conns) s.destroy();
    });
  }

  // ---- HTTP and WebSocket ----------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const receivedAt = Date.now();
    const raw = await readBody(req);
    const body = jsonBody(req, raw);
    const reply =
      body === BAD_JSON ? { status: 400, body: { message: 'Failed to parse body as JSON' } } : this.handle(method, url, req, body);
    if (reply.wait) await reply.wait;
    reply.first?.();
    sendHttp(res, reply);
    this.requests.push({
      at: Date.now(),
      receivedAt,
      body: body === BAD_JSON ? raw.toString('utf8') : body,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: reply.status,
    });
    this.changed();
    if (reply.then)
      setImmediate(() => {
        reply.then?.();
        this.changed();
      });
  }

  private handle(method: string, url: URL, req: http.IncomingMessage, body: unknown): Reply {
    if (!url.pathname.startsWith('/ari/')) return { status: 404, body: { message: 'Not found' } };
    if (!authorized(req, url, this.user, this.password)) return { status: 401, body: { message: 'Authentication required' } };
    if (url.pathname.endsWith('/'))
      return { status: 404, body: { message: `ARI URLs do not end with a slash. Try ${url.pathname.replace(/\/+$/, '')}` } };
    const parts = url.pathname.slice('/ari/'.length).split('/').map(decodeURIComponent);
    if (parts[0] === 'api-docs' && method === 'GET') {
      const doc = apiDocument((parts[1] ?? '').replace(/\.json$/, ''), req.headers.host ?? `127.0.0.1:${this.port}`);
      return doc ? { status: 200, body: doc } : { status: 404, body: { message: 'Not found' } };
    }
    return route(this, method, parts, url.searchParams, body);
  }

  private onUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: number, type: string, body: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (url.pathname !== '/ari/events') return refuse(404, 'application/json', '{"message":"Not found"}');
    if (!authorized(req, url, this.user, this.password)) return refuse(401, 'application/json', '{"message":"Authentication required"}');
    const apps = (url.searchParams.get('app') ?? '').split(',').filter(Boolean);
    if (apps.length === 0) {
      return refuse(
        400,
        'text/html',
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>400 Bad Request</title>\r\n</head><body>\r\n<h1>Bad Request</h1>\r\n<p>HTTP request is missing param: [app]</p>\r\n<hr />\r\n</body></html>\r\n',
      );
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, apps));
  }

  private onSocket(ws: WebSocket, apps: string[]): void {
    for (const app of apps) {
      const old = this.sockets.get(app);
      this.sockets.set(app, ws);
      if (old && old !== ws && old.readyState === WebSocket.OPEN) {
        // The old socket stays open and hears nothing more, as with a real Asterisk.
        const event = { type: 'ApplicationReplaced', timestamp: this.timestamp(), application: app, asterisk_id: ENTITY_ID };
        old.send(JSON.stringify(event));
        this.events.push({ at: Date.now(), app, delivered: true, event });
      }
    }
    ws.on('close', () => {
      for (const app of apps) if (this.sockets.get(app) === ws) this.sockets.delete(app);
      this.changed();
    });
    this.changed();
  }
}

const BAD_JSON = Symbol('bad JSON');

/** ARI reads a JSON body where it takes one (an originate's variables); a body it cannot parse is a 400. */
function jsonBody(req: http.IncomingMessage, raw: Buffer): unknown {
  if (!raw.length || !String(req.headers['content-type'] ?? '').startsWith('application/json')) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return BAD_JSON;
  }
}
