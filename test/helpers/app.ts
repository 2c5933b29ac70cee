/** Starts the whole app on loopback with a temp SQLite file, configured like production. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { buildApp, App, AppOverrides } from '../../src/app';
import { silentLogger } from '../../src/core/log';

/** Long, distinct tokens: the configuration refuses short or shared ones. */
export const CLOUD_TOKEN = 'cloud-token-1-0123456789';
export const CLOUD_TOKEN_2 = 'cloud-token-2-0123456789';
export const ADMIN_TOKEN = 'admin-token-0123456789';

export interface RunningApp {
  app: App;
  port: number;
  url: string;
  dir: string;
  close(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'dozvon-app-'));
  const config = loadConfig({
    env: {
      DOZVON_LISTEN: '127.0.0.1:0',
      DOZVON_DB: `sqlite:${join(dir, 'dozvon.sqlite')}`,
      DOZVON_SQLITE_SYNC: 'NORMAL',
      DOZVON_CLOUD_TOKENS: `${CLOUD_TOKEN},${CLOUD_TOKEN_2}`,
      DOZVON_ADMIN_TOKEN: ADMIN_TOKEN,
      DOZVON_PUBLIC_URL: 'http://dozvon.test:8080/',
      DOZVON_TTS: 'none',
      ...env,
    },
  });
  const app = buildApp(config, { logger: silentLogger(), startEngines: false, ...overrides });
  const addr = await app.start();
  return {
    app,
    port: addr.port,
    url: `http://127.0.0.1:${addr.port}`,
    dir,
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
