/**
 * The app as OnCall meets it in production: telephony configured and an SMS sender, so make_call,
 * send_sms and the webhook are accepted (a page nothing could deliver is refused with 503). Engines stay off: nothing is dialled or sent, the tests look at what was stored.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startApp, RunningApp } from './app';
import type { AppOverrides } from '../../src/app';
import { FakeConfiguredTelephony } from '../fakes/telephony';

export async function startDeliverableApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningApp> {
  const file = join(tmpdir(), `dozvon-deliverable-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    'senders:\n  sms: { type: http, name: sms-gw, url: "http://127.0.0.1:9/send", body: { to: "{{to}}", text: "{{text}}" } }\n',
  );
  const t = await startApp({ DOZVON_CONFIG: file, ...env }, { telephony: new FakeConfiguredTelephony(), ...overrides }).finally(() =>
    rmSync(file, { force: true }),
  );
  return t;
}
