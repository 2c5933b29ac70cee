/** The whole app with heartbeat keys, a default page list whose person exists, and a `heartbeats:` section to taste. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, RunningApp } from '../../helpers/app';
import type { AppOverrides } from '../../../src/app';

export const HB_KEY = 'doors-heartbeat-key-0123456789';

export async function startWithHeartbeats(
  opts: { env?: Record<string, string>; section?: string; overrides?: AppOverrides } = {},
): Promise<RunningApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dozvon-doors-'));
  const file = path.join(dir, 'dozvon.yaml');
  writeFileSync(file, `heartbeats:\n  page: [ops@example.com]\n${opts.section ?? ''}`);
  const t = await startApp({ DOZVON_HEARTBEAT_KEYS: HB_KEY, DOZVON_CONFIG: file, ...opts.env }, opts.overrides);
  await t.app.users.create({ email: 'ops@example.com', name: 'Ops', phone: '+15550009999' }, { lang: 'en' });
  return {
    ...t,
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
