/** A real HTTP server on loopback with the heartbeat routers over a real SQLite file and a fake clock. */
import { secretFailureLimiter } from '../../../src/http/secret-limits';
import { CreateLimit } from '../../../src/heartbeats-api/create-limit';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { createHttpApp } from '../../../src/http/server';
import { HeartbeatAdmin, HeartbeatService, HeartbeatsRepo } from '../../../src/watchers/heartbeats';
import { AuditRepo } from '../../../src/audit';
import { alertmanagerRouter, healthchecksRouter, opsgenieRouter } from '../../../src/heartbeats-api';
import { FakePager } from '../../unit/watchers/fakes';

export const KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';

export interface Harness {
  url: string;
  clock: FakeClock;
  pager: FakePager;
  service: HeartbeatService;
  t: TestDb;
  close(): Promise<void>;
}

export async function startHarness(opts: { autoCreate?: boolean; clock?: FakeClock; defaultPage?: string[] } = {}): Promise<Harness> {
  const t = await makeTestDb();
  const clock = opts.clock ?? new FakeClock();
  const pager = new FakePager();
  const logger = silentLogger();
  const service = new HeartbeatService({
    repo: new HeartbeatsRepo(t.db),
    clock,
    logger,
    pager,
    defaultPage: opts.defaultPage ?? ['ops@example.com'],
  });
  await service.start();
  const deps = {
    service,
    admin: new HeartbeatAdmin({ service, audit: new AuditRepo(t.db, () => clock.now()) }),
    keys: [KEY, 'second-key'],
    logger,
    keyFailures: secretFailureLimiter(() => clock.now()),
    createLimit: new CreateLimit(service, 100),
  };
  const app = createHttpApp({
    logger,
    mounts: [
      { path: '/', router: opsgenieRouter(deps) },
      { path: '/', router: healthchecksRouter(deps) },
      {
        path: '/',
        router: alertmanagerRouter({ ...deps, watchdogAutoCreate: opts.autoCreate === false ? null : { periodS: 300, graceS: 300 } }),
      },
    ],
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    pager,
    service,
    t,
    async close() {
      await service.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export async function call(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}
