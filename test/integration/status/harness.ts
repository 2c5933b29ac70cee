/** A status router over a real SQLite file with a small, realistic data set, served on loopback. */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp, HttpAppOptions } from '../../../src/http/server';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { DbStatusSource, statusRouter, StatusRouterDeps, StatusSource, HealthRow } from '../../../src/status';
import { AdminTokenGuard, DbSessionRevocations } from '../../../src/web';
import { makeTestDb, TestDb } from '../../helpers/db';

export const TOKEN = 'status-test-admin-token-0123456789';
export const NOW = Date.UTC(2026, 10, 21, 16, 30, 0);
export const ALICE_PHONE = '+79161234567';
export const BOB_PHONE = '+15557654321';
export const EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

export interface StatusHarness {
  url: string;
  tdb: TestDb;
  now: { t: number };
  close(): Promise<void>;
}

export async function seed(tdb: TestDb): Promise<void> {
  let t = NOW - 20 * 60_000;
  const clock = () => t;
  const users = new UsersRepo(tdb.db, clock);
  const repo = new NotificationsRepo(tdb.db, clock);
  const alice = await users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: ALICE_PHONE }, { lang: 'en' });
  const bob = await users.create({ email: 'bob@example.com', name: `Bob ${EVIL}`, phone: BOB_PHONE }, { lang: 'en' });

  const done = await repo.enqueue({
    kind: 'call',
    source: 'oncall-cloud',
    userId: bob.id,
    email: bob.email,
    message: 'Disk full on web1.example.com',
  });
  const a0 = await repo.startAttempt({ notificationId: done.notification.id, channel: 'voice' });
  t += 25_000;
  await repo.updateAttempt(a0, {
    answeredAt: t,
    endedAt: t + 42_000,
    outcome: 'answered',
    cause: '16',
    digits: '1',
    action: 'acknowledge',
    result: 'Acknowledged.',
  });
  await repo.finish(done.notification.id, null, 'delivered', 'answered', 'pressed 1');

  t = NOW - 5 * 60_000;
  const active = await repo.enqueue({
    kind: 'call',
    source: 'oncall-cloud',
    userId: alice.id,
    email: alice.email,
    message: `Database down on db1.example.com ${EVIL}`,
    alertGroupId: 'IABCDEF123',
  });
  const a1 = await repo.startAttempt({ notificationId: active.notification.id, channel: 'voice' });
  await repo.updateAttempt(a1, { endedAt: t + 30_000, outcome: 'busy', cause: '17' });
  await repo.claim({ owner: 'test', kinds: ['call'], leaseMs: 60_000, limit: 10 });
  t = NOW - 60_000;
  await repo.enqueue({
    kind: 'sms',
    source: 'heartbeat',
    userId: null,
    email: 'carol@example.com',
    message: 'Heartbeat nightly-backup is down',
  });

  await tdb.db('heartbeats').insert([
    {
      name: 'nightly-backup',
      kind: 'healthchecks',
      period_s: 86400,
      grace_s: 3600,
      enabled: true,
      page: '["alice@example.com"]',
      state: 'down',
      last_ping_at: NOW - 26 * 3600_000,
      state_changed_at: NOW - 3600_000,
      created_at: NOW - 7 * 86400_000,
    },
    {
      name: 'oncall-engine',
      kind: 'oncall',
      period_s: 180,
      grace_s: 420,
      enabled: true,
      page: '[]',
      state: 'up',
      last_ping_at: NOW - 90_000,
      state_changed_at: NOW - 86400_000,
      created_at: NOW - 7 * 86400_000,
    },
  ]);
}

export const HEALTH: HealthRow[] = [
  { name: 'asterisk', ok: true, detail: 'ARI connected to 127.0.0.1:8088' },
  { name: 'sms:gateway', ok: false, detail: 'HTTP 503 from the gateway' },
];

export async function startStatus(
  opts: Partial<StatusRouterDeps> & {
    source?: StatusSource;
    trustProxy?: HttpAppOptions['trustProxy'];
    /** Wrong tokens one address may try within loginFailureWindowMs (the guard's defaults otherwise). */
    loginFailures?: number;
    loginFailureWindowMs?: number;
  } = {},
): Promise<StatusHarness> {
  const tdb = await makeTestDb();
  await seed(tdb);
  const now = { t: NOW };
  const { trustProxy, loginFailures, loginFailureWindowMs, ...deps } = opts;
  const source = deps.source ?? new DbStatusSource({ db: tdb.db, health: async () => HEALTH });
  const revocations = deps.revocations ?? new DbSessionRevocations(tdb.db, () => now.t);
  const adminGuard =
    deps.adminGuard ??
    new AdminTokenGuard(deps.adminToken === undefined ? TOKEN : deps.adminToken, () => now.t, {
      max: loginFailures,
      windowMs: loginFailureWindowMs,
    });
  const router = statusRouter({ adminToken: TOKEN, now: () => now.t, ...deps, source, revocations, adminGuard });
  const app = createHttpApp({ logger: silentLogger(), mounts: [{ path: '/', router }], publicUrl: deps.publicUrl, trustProxy });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tdb,
    now,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tdb.close();
    },
  };
}
