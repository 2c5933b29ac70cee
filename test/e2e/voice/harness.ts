/**
 * The whole app over real sockets for voice scenarios: OnCall's engine is played by raw
 * make_call requests, the phone network by the fake Asterisk (real ari-client), OnCall's
 * public API by the fake OnCall. The app runs on a FakeClock (retries, menu timeouts); the
 * telephony adapter keeps real time because the fake Asterisk does.
 */
import { telephonyOn } from '../../helpers/fake-telephony';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, RunningApp } from '../../helpers/app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';
import { FakeAsterisk } from '../../fakes/asterisk';
import { FakeOnCall } from '../../fakes/oncall';
import { FakeClock } from '../../fakes/clock';
import type { AriTelephony } from '../../../src/telephony';

export interface VoiceWorld {
  t: RunningApp;
  asterisk: FakeAsterisk;
  oncall: FakeOnCall;
  clock: FakeClock;
  tel: AriTelephony;
  makeCall(email: string, message: string): Promise<number>;
  /** Advances the app's clock in steps, letting real I/O settle between them. */
  advance(ms: number): Promise<void>;
  until<T>(fn: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<NonNullable<T>>;
  rows(): Promise<{ id: number; state: string; outcome: string | null; reason: string | null; kind: string }[]>;
  close(): Promise<void>;
}

export async function voiceWorld(
  opts: {
    yaml?: string;
    env?: Record<string, string>;
    logger?: import('../../../src/core/log').Logger;
    overrides?: import('../../../src/app').AppOverrides;
  } = {},
): Promise<VoiceWorld> {
  const asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
  const oncall = await FakeOnCall.start();
  oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
  const clock = new FakeClock(Date.now());
  const tel = telephonyOn(asterisk);
  const env: Record<string, string> = {
    DOZVON_ONCALL_URL: oncall.url,
    DOZVON_ONCALL_TOKEN: 'svc-token',
    DOZVON_DIAL_TEMPLATE: 'PJSIP/{number}@trunk',
    DOZVON_TTS: 'none',
    ...opts.env,
  };
  let t: RunningApp;
  if (opts.yaml) {
    const file = join(require('node:os').tmpdir(), `dozvon-e2e-${process.pid}-${Date.now()}.yaml`);
    writeFileSync(file, opts.yaml);
    env.DOZVON_CONFIG = file;
  }
  try {
    t = await startApp(env, {
      clock,
      telephony: tel,
      startEngines: true,
      sweepMs: 1000,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...opts.overrides,
    });
  } catch (e) {
    // The fakes already listen: a world that failed to start must not leave them open.
    await Promise.allSettled([oncall.close(), asterisk.close()]);
    throw e;
  }
  const world: VoiceWorld = {
    t,
    asterisk,
    oncall,
    clock,
    tel,
    async makeCall(email, message) {
      const body = `email=${encodeURIComponent(email)}&message=${encodeURIComponent(message).replace(/%20/g, '+')}`;
      const r = await rawRequest(t.port, pyRequest('POST', '/api/v1/make_call', { token: 'cloud-token-1-0123456789', body }));
      if (r.status !== 200) throw new Error(`make_call answered ${r.status} ${r.body}`);
      const row = (await t.app.db('notifications').max({ id: 'id' }).first()) as { id: number };
      return row.id;
    },
    async advance(ms) {
      for (let done = 0; done < ms; done += 1000) {
        await clock.advance(Math.min(1000, ms - done));
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async until(fn, what, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v as NonNullable<typeof v>;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    rows: () => t.app.db('notifications').select('id', 'state', 'outcome', 'reason', 'kind').orderBy('id'),
    async close() {
      // Each part is closed even when the one before failed to close.
      try {
        await t.close();
      } finally {
        try {
          await oncall.close();
        } finally {
          await asterisk.close();
        }
      }
    },
  };
  return world;
}

/** A customised OnCall phone template carrying the permalink, as docs/oncall.md recommends. */
export function pageText(title: string, pk: string): string {
  return `You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title ${title} ref http://grafana.test/a/grafana-oncall-app/alert-groups/${pk} triggered 3 times`;
}
