/**
 * One real-Asterisk story's world: dozvon running in this process with its production graph
 * (its own AriTelephony from DOZVON_ARI_URL, real clock, SQLite), the real Asterisk of the
 * file, the phones on the far side of the trunk, a fake OnCall and a fake Google TTS host.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { buildApp, App, AppOverrides } from '../../src/app';
import { createLogger, Logger } from '../../src/core/log';
import { FakeOnCall } from '../fakes/oncall';
import { FakeGoogleTts } from '../fakes/google-tts';
import { pyRequest, rawRequest } from '../helpers/raw-http';
import { freePort, RealAsterisk } from './asterisk/process';
import { TestPhones } from './phones';
import { CORE_SOUNDS } from './asterisk/config';

export const CLOUD_TOKEN = 'real-suite-cloud-token-0123456789';
export const ADMIN_TOKEN = 'real-suite-admin-token-0123456789';

export interface RealWorld {
  app: App;
  port: number;
  url: string;
  dir: string;
  ttsDir: string;
  asterisk: RealAsterisk;
  phones: TestPhones;
  oncall: FakeOnCall;
  google: FakeGoogleTts;
  logs: string[];
  makeCall(email: string, message: string): Promise<number>;
  page(id: number): Promise<{ id: number; state: string; outcome: string | null; reason: string | null }>;
  attempts(id: number): Promise<Record<string, unknown>[]>;
  until<T>(fn: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<NonNullable<T>>;
  finished(id: number, timeoutMs?: number): Promise<{ id: number; state: string; outcome: string | null; reason: string | null }>;
  coreSounds(lang: string): string;
  close(): Promise<void>;
}

export interface WorldOptions {
  env?: Record<string, string>;
  yaml?: string;
  /** Seams a story replaces (who an alert pages). */
  overrides?: Pick<AppOverrides, 'alertResolver'>;
}

/** A logger that keeps every line, so a failing story can show what dozvon said. */
function keptLogger(lines: string[]): Logger {
  const destination = { write: (s: string) => void lines.push(s) } as unknown as NodeJS.WritableStream;
  return createLogger({ level: 'debug', destination });
}

export async function realWorld(asterisk: RealAsterisk, opts: WorldOptions = {}): Promise<RealWorld> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dz-real-'));
  const oncall = await FakeOnCall.start();
  oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
  const google = await new FakeGoogleTts().start();
  google.charsPerClip = 40;
  const port = await freePort();
  const env: Record<string, string> = {
    DOZVON_LISTEN: `127.0.0.1:${port}`,
    DOZVON_DB: `sqlite:${path.join(dir, 'dozvon.sqlite')}`,
    DOZVON_CLOUD_TOKENS: CLOUD_TOKEN,
    DOZVON_ADMIN_TOKEN: ADMIN_TOKEN,
    DOZVON_ONCALL_URL: oncall.url,
    DOZVON_ONCALL_TOKEN: 'svc-token',
    DOZVON_ARI_URL: asterisk.ariUrl,
    DOZVON_ARI_USER: asterisk.layout.ariUser,
    DOZVON_ARI_PASSWORD: asterisk.layout.ariPassword,
    DOZVON_TTS_GOOGLE_HOST: google.url,
    DOZVON_TTS_DIR: path.join(dir, 'tts'),
    ...opts.env,
  };
  if (opts.yaml) {
    env.DOZVON_CONFIG = path.join(dir, 'dozvon.yaml');
    writeFileSync(env.DOZVON_CONFIG, opts.yaml);
  }
  const config = loadConfig({ env });
  const logs: string[] = [];
  const app = buildApp(config, { logger: keptLogger(logs), startEngines: true, ...opts.overrides });
  await app.start();
  const phones = await TestPhones.connect(asterisk);
  const rows = () => app.db('notifications').select('id', 'state', 'outcome', 'reason').orderBy('id');
  const world: RealWorld = {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    ttsDir: path.resolve(env.DOZVON_TTS_DIR),
    asterisk,
    phones,
    oncall,
    google,
    logs,
    async makeCall(email, message) {
      const body = `email=${encodeURIComponent(email)}&message=${encodeURIComponent(message).replace(/%20/g, '+')}`;
      const r = await rawRequest(port, pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body }));
      if (r.status !== 200) throw new Error(`make_call answered ${r.status} ${r.body}`);
      const row = (await app.db('notifications').max({ id: 'id' }).first()) as { id: number };
      return row.id;
    },
    page: async (id) => (await rows()).find((r) => r.id === id),
    attempts: (id) => app.db('attempts').where({ notification_id: id }).orderBy('id'),
    async until(fn, what, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v as NonNullable<typeof v>;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    finished(id, timeoutMs = 60_000) {
      return world.until(
        async () => (await rows()).find((r) => r.id === id && r.state !== 'pending' && r.state !== 'active'),
        `page ${id} to finish`,
        timeoutMs,
      );
    },
    coreSounds: (lang) => CORE_SOUNDS[lang],
    async close() {
      phones.close();
      await app.stop();
      await oncall.close();
      await google.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** OnCall's phone message for an alert group, with the permalink docs/oncall.md recommends. */
export function pageText(title: string, pk: string, integration = 'Prod'): string {
  return `You are invited to check an Alert Group from Grafana OnCall. Alert via ${integration} - Formatted webhook with title ${title} ref http://grafana.test/a/grafana-oncall-app/alert-groups/${pk} triggered 3 times`;
}
