/**
 * The hotline against real loopback servers: the fake Asterisk (real ari-client through
 * AriTelephony), the fake OnCall, a SQLite directory, a tiny formatted_webhook receiver and an
 * express server for the recording links. Speech is a recording fake: `sound:tts/<n>` per text,
 * a real (silent) WAV in a sounds folder the fake Asterisk reads, since it plays nothing else.
 */
import type { TeamDirectory } from '../../../src/hotline/teams';
import { telephonyOn } from '../../helpers/fake-telephony';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock, SystemClock, TimerHandle } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { express } from '../../../src/http/express';
import { HttpOnCallClient, OnCallActions } from '../../../src/oncall/index';
import { AriTelephony, CallLeg } from '../../../src/telephony';
import type { Speech, Tts, TtsHealth, Lang } from '../../../src/tts/types';
import {
  DbPinGuard,
  Hotline,
  HotlineMessagesRepo,
  HotlineOptions,
  HttpHotlineAlerter,
  PinLimits,
  SessionReport,
  createHotlineRouter,
  hotlineSectionSchema,
} from '../../../src/hotline';
import { FakeAsterisk, CallHandle, FakeSoundsDir } from '../../fakes/asterisk';
import { FakeOnCall, FakeUser } from '../../fakes/oncall';
import { makeTestDb, TestDb } from '../../helpers/db';

/** Remembers every text; `sound:tts/<n>` lets a test map what was played back to what was said. */
export class RecordingTts implements Tts {
  readonly texts: string[] = [];
  constructor(private readonly sounds: FakeSoundsDir) {}
  async render(text: string, lang: Lang): Promise<Speech> {
    this.texts.push(text);
    // About as long as the sentence would take to say.
    return {
      media: [this.sounds.add(`tts/${this.texts.length - 1}`, { lang, ms: 60 * text.length })],
      lang,
      engine: 'none',
      cached: false,
    };
  }
  async health(): Promise<TtsHealth> {
    return { ok: true, engines: [] };
  }
}

/** SystemClock that counts live timers, so a test can assert none is left behind. */
export class CountingClock implements Clock {
  private readonly inner = new SystemClock();
  private readonly live = new Set<object>();
  now(): number {
    return this.inner.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const token = {};
    this.live.add(token);
    const h = this.inner.setTimeout(() => {
      this.live.delete(token);
      fn();
    }, ms);
    return {
      cancel: () => {
        this.live.delete(token);
        h.cancel();
      },
    };
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const h = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        h.cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  pending(): number {
    return this.live.size;
  }
}

export interface Received {
  body: Record<string, unknown>;
}

export interface HotlineHarness {
  asterisk: FakeAsterisk;
  oncall: FakeOnCall;
  tel: AriTelephony;
  hotline: Hotline;
  tts: RecordingTts;
  clock: CountingClock;
  tdb: TestDb;
  users: UsersRepo;
  notifications: NotificationsRepo;
  messages: HotlineMessagesRepo;
  alerts: Received[];
  alertStatus: number[];
  /** What the PIN guard told `admins:`. */
  adminNotices: string[];
  publicUrl: string;
  ocUsers: Record<'svc' | 'carol' | 'dave', FakeUser>;
  integrationId: string;
  /** Next report of a hotline call that was handled. */
  reports: Promise<SessionReport | null>[];
  call(from: string): CallHandle;
  /** What the caller heard: `prompt:<id>`, `tts:<text>`, or the raw media URI. */
  heard(h: CallHandle): string[];
  /** Waits until `pred` matches a heard item at or after `from`; returns its index. */
  waitHeard(h: CallHandle, pred: (s: string) => boolean, from?: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export async function makeHotlineHarness(
  o: Omit<Partial<HotlineOptions>, 'section'> & {
    section?: Record<string, unknown>;
    oncallConfigured?: boolean;
    pinLimits?: Partial<PinLimits>;
    teams?: TeamDirectory;
  } = {},
): Promise<HotlineHarness> {
  const { section: sectionInput, oncallConfigured, pinLimits, teams, ...rest } = o;
  const sounds = new FakeSoundsDir();
  const asterisk = await FakeAsterisk.start({ timeScale: 0.01, soundRoots: [sounds.root] });
  const oncall = await FakeOnCall.start();
  const tdb = await makeTestDb();
  const users = new UsersRepo(tdb.db);
  const notifications = new NotificationsRepo(tdb.db);
  const messages = new HotlineMessagesRepo(tdb.db);
  const tel = telephonyOn(asterisk);
  await tel.start();

  const ocUsers = {
    svc: oncall.state.addUser({ email: 'dozvon@example.com', username: 'dozvon', token: 'svc' }),
    carol: oncall.state.addUser({ email: 'carol@example.com', username: 'carol' }),
    dave: oncall.state.addUser({ email: 'dave@example.com', username: 'dave' }),
  };
  const integrationId = oncall.state.addIntegration({ name: 'Prometheus' }).id;
  oncall.state.addSchedule({ name: 'Primary', onCallNow: [ocUsers.carol.id] });

  await users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550000001', pin: '1234' }, { lang: 'en' });
  await users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15550000002', pin: '5678' }, { lang: 'en' });
  await users.create({ email: 'carol@example.com', name: 'Carol White', phone: '1001' }, { lang: 'en' });
  await users.create({ email: 'dave@example.com', name: 'Dave Brown', phone: '1002' }, { lang: 'en' });

  // The recording links and the formatted_webhook receiver live on loopback HTTP servers.
  const app = express();
  app.use(createHotlineRouter({ messages, logger: silentLogger() }));
  const web = await listen(http.createServer(app));
  const publicUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/`;
  const alerts: Received[] = [];
  const alertStatus: number[] = [];
  const receiver = await listen(
    http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = alertStatus.shift() ?? 200;
        if (status === 200) alerts.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    }),
  );
  const alertUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/integrations/v1/formatted_webhook/abc/`;

  const clock = new CountingClock();
  const tts = new RecordingTts(sounds);
  const client =
    oncallConfigured === false ? null : new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc', timeoutMs: 1000, retries: 0 });
  const names: Record<string, string> = { 'carol@example.com': 'Carol White', 'dave@example.com': 'Dave Brown' };
  const actions = client ? new OnCallActions({ client, sections: {}, nameOf: async (e) => names[e] ?? null, deadlineMs: 2000 }) : null;
  const section = hotlineSectionSchema.parse({
    schedule: 'Primary',
    hunt: ['dave@example.com'],
    ring_timeout_seconds: 5,
    record_max_seconds: 5,
    oncall_alert_url: alertUrl,
    ...sectionInput,
  });
  const adminNotices: string[] = [];
  const pins = new DbPinGuard({
    db: tdb.db,
    clock,
    logger: silentLogger(),
    limits: pinLimits,
    notifyAdmins: async (text) => void adminNotices.push(text),
  });
  const hotline = new Hotline(
    {
      telephony: tel,
      tts,
      clock,
      logger: silentLogger(),
      users,
      pages: notifications,
      messages,
      oncall: client,
      actions,
      alerter: new HttpHotlineAlerter({ url: alertUrl, clock, logger: silentLogger(), timeoutMs: 1000, backoffMs: [20, 20] }),
      pins,
      teams,
    },
    {
      public: false,
      lang: 'en',
      dialTemplate: 'Local/{number}@oncall-test-phones',
      callerId: 'dozvon <+15550100100>',
      publicUrl,
      section,
      timing: { menuTimeoutMs: 1500, pinTimeoutMs: 1500, ringGraceMs: 500 },
      ...rest,
    },
  );
  const reports: Promise<SessionReport | null>[] = [];
  tel.onInbound((leg: CallLeg, args: string[]) => {
    if (args[0] === 'hotline') reports.push(hotline.handle(leg, args));
  });

  const heard = (h: CallHandle): string[] =>
    h.played().map((m) => {
      const t = /^sound:tts\/(\d+)$/.exec(m);
      if (t) return `tts:${tts.texts[Number(t[1])]}`;
      const p = /^sound:dozvon\/(.+)$/.exec(m);
      return p ? `prompt:${p[1]}` : m;
    });

  return {
    asterisk,
    oncall,
    tel,
    hotline,
    tts,
    clock,
    tdb,
    users,
    notifications,
    messages,
    alerts,
    alertStatus,
    publicUrl,
    ocUsers,
    integrationId,
    reports,
    heard,
    adminNotices,
    call: (from) => asterisk.inboundCall({ from, args: ['hotline'] }),
    waitHeard: (h, pred, from = 0, timeoutMs = 3000) =>
      asterisk
        .waitFor(
          () => {
            const list = heard(h);
            for (let i = from; i < list.length; i++) if (pred(list[i])) return i + 1; // +1: 0 would read as "not yet"
            return undefined;
          },
          timeoutMs,
          'a heard phrase',
        )
        .then((i) => i - 1),
    async close() {
      await hotline.stop();
      await tel.stop();
      await asterisk.close();
      await oncall.close();
      await new Promise<void>((r) => web.close(() => r()));
      await new Promise<void>((r) => receiver.close(() => r()));
      await tdb.close();
      sounds.remove();
    },
  };
}

function listen(s: http.Server): Promise<http.Server> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}
