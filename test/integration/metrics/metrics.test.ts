import { expect } from 'chai';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metrics, metricsRouter } from '../../../src/metrics';
import { createHttpApp } from '../../../src/http/server';
import { silentLogger } from '../../../src/core/log';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { makeTestDb, TestDb } from '../../helpers/db';
import { parseExposition, Exposition } from './exposition';

interface Harness {
  url: string;
  metrics: Metrics;
  close(): Promise<void>;
}

async function serve(metrics: Metrics, token: string | null = null): Promise<Harness> {
  const app = createHttpApp({ logger: silentLogger(), mounts: [{ path: '/', router: metricsRouter(metrics, { token }) }] });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    metrics,
    async close() {
      metrics.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function scrape(h: Harness, headers: Record<string, string> = {}): Promise<Exposition> {
  const res = await fetch(`${h.url}/metrics`, { headers, signal: AbortSignal.timeout(5000) });
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

const EMAIL = /@/;
const PHONE = /\d(?:[\s().-]*\d){4,}/;

describe('metrics: /metrics in Prometheus format', () => {
  let tdb: TestDb;
  let h: Harness;

  beforeEach(async () => {
    tdb = await makeTestDb();
  });
  afterEach(async () => {
    await h?.close();
    await tdb.close();
  });

  it('exports recorded events with their values and conventional names', async () => {
    let t = 1_800_000_000_000;
    const repo = new NotificationsRepo(tdb.db, () => t);
    h = await serve(new Metrics({ queueDepth: () => repo.countByState() }));
    const m = h.metrics;
    m.notificationReceived('call', 'oncall-cloud');
    m.notificationReceived('call', 'oncall-cloud');
    m.notificationReceived('sms', 'heartbeat');
    m.notificationFinished('call', 'delivered');
    m.callAttempt('busy', 17);
    m.callAttempt('busy', 17);
    m.callAttempt('answered', 16);
    m.dispatchLatency(t, t + 1500);
    m.dispatchLatency(t, t + 40);
    m.callSetup(t, t + 12_000);
    m.digitsPressed('1');
    m.digitsPressed('12#');
    m.actionResult('acknowledge', 'ok');
    m.heartbeatState('nightly-backup', 'up');
    m.heartbeatState('nightly-backup', 'down');
    m.senderHealth('ntfy', true);
    m.senderHealth('sms-gateway', false);
    m.ariHealth('asterisk-1:8088', true);
    await repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: null, email: 'a@example.com', message: 'm1' });
    await repo.enqueue({ kind: 'sms', source: 'oncall-cloud', userId: null, email: 'a@example.com', message: 'm2' });
    const done = await repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: null, email: 'b@example.com', message: 'm3' });
    await repo.finish(done.notification.id, null, 'delivered', 'answered', 'pressed 1');
    t += 1;

    const e = await scrape(h);
    expect(e.value('dozvon_notifications_received_total', { kind: 'call', source: 'oncall-cloud' })).to.equal(2);
    expect(e.value('dozvon_notifications_received_total', { kind: 'sms', source: 'heartbeat' })).to.equal(1);
    expect(e.value('dozvon_notifications_finished_total', { kind: 'call', outcome: 'delivered' })).to.equal(1);
    expect(e.value('dozvon_call_attempts_total', { outcome: 'busy', cause: '17' })).to.equal(2);
    expect(e.value('dozvon_call_attempts_total', { outcome: 'answered', cause: '16' })).to.equal(1);
    expect(e.value('dozvon_dispatch_latency_seconds_count')).to.equal(2);
    expect(e.value('dozvon_dispatch_latency_seconds_sum')).to.be.closeTo(1.54, 1e-9);
    expect(e.value('dozvon_dispatch_latency_seconds_bucket', { le: '0.05' })).to.equal(1);
    expect(e.value('dozvon_dispatch_latency_seconds_bucket', { le: '2' })).to.equal(2);
    expect(e.value('dozvon_call_setup_seconds_bucket', { le: '10' })).to.equal(0);
    expect(e.value('dozvon_call_setup_seconds_bucket', { le: '15' })).to.equal(1);
    expect(e.value('dozvon_digits_pressed_total', { digit: '1' })).to.equal(2);
    expect(e.value('dozvon_digits_pressed_total', { digit: '2' })).to.equal(1);
    expect(e.value('dozvon_digits_pressed_total', { digit: '#' })).to.equal(1);
    expect(e.value('dozvon_actions_total', { action: 'acknowledge', result: 'ok' })).to.equal(1);
    expect(e.value('dozvon_heartbeat_state', { name: 'nightly-backup', state: 'down' })).to.equal(1);
    expect(e.value('dozvon_heartbeat_state', { name: 'nightly-backup', state: 'up' })).to.equal(0);
    expect(e.value('dozvon_sender_up', { sender: 'ntfy' })).to.equal(1);
    expect(e.value('dozvon_sender_up', { sender: 'sms-gateway' })).to.equal(0);
    expect(e.value('dozvon_ari_up', { server: 'asterisk-1:8088' })).to.equal(1);
    expect(e.value('dozvon_queue_depth', { state: 'pending' })).to.equal(2);
    expect(e.value('dozvon_queue_depth', { state: 'delivered' })).to.equal(1);
    expect(e.value('dozvon_queue_depth', { state: 'failed' })).to.equal(0);
    for (const stat of ['p50', 'p99', 'max']) {
      const v = e.value('dozvon_event_loop_delay_seconds', { stat });
      expect(v, stat).to.be.a('number').and.to.be.at.least(0).and.below(10);
    }

    expect(e.types.get('dozvon_dispatch_latency_seconds')).to.equal('histogram');
    expect(e.types.get('dozvon_queue_depth')).to.equal('gauge');
    for (const [name, type] of e.types) {
      expect(name, name).to.match(/^dozvon_/);
      if (type === 'counter') expect(name, name).to.match(/_total$/);
      if (type === 'histogram') expect(name, name).to.match(/_seconds$/);
    }
  });

  it('the queue depth follows the database between scrapes', async () => {
    const repo = new NotificationsRepo(tdb.db);
    h = await serve(new Metrics({ queueDepth: () => repo.countByState() }));
    expect((await scrape(h)).value('dozvon_queue_depth', { state: 'pending' })).to.equal(0);
    const n = await repo.enqueue({ kind: 'call', source: 'cli', userId: null, email: 'c@example.com', message: 'x' });
    expect((await scrape(h)).value('dozvon_queue_depth', { state: 'pending' })).to.equal(1);
    await repo.finish(n.notification.id, null, 'failed', 'no-answer', 'gave up');
    const e = await scrape(h);
    expect(e.value('dozvon_queue_depth', { state: 'pending' })).to.equal(0);
    expect(e.value('dozvon_queue_depth', { state: 'failed' })).to.equal(1);
  });

  it('a failing queue-depth query keeps the scrape up and counts the failure', async () => {
    let fail = false;
    h = await serve(
      new Metrics({ queueDepth: async () => (fail ? Promise.reject(new Error('db gone')) : { pending: 4 }), collectTimeoutMs: 200 }),
    );
    expect((await scrape(h)).value('dozvon_queue_depth', { state: 'pending' })).to.equal(4);
    fail = true;
    const e = await scrape(h);
    expect(e.value('dozvon_queue_depth', { state: 'pending' })).to.equal(4);
    expect(e.value('dozvon_metrics_collect_failures_total', { collector: 'queue_depth' })).to.equal(1);
  });

  it('never exports an email, a phone number or an unbounded set of values as a label', async () => {
    h = await serve(new Metrics({ maxLabelValues: 8 }));
    const m = h.metrics;
    m.notificationReceived('call', 'alice@example.com');
    m.callAttempt('busy', '+7 916 123-45-67');
    m.actionResult('escalate to bob@example.com', 'ok');
    m.heartbeatState('+15551234567', 'up');
    m.digitsPressed('x');
    for (let i = 0; i < 50; i++) m.callAttempt('failed', `cause-${String.fromCharCode(97 + (i % 26))}${i}`);

    const e = await scrape(h);
    const labelValues = e.samples.flatMap((s) => Object.values(s.labels));
    for (const v of labelValues) {
      expect(v, v).not.to.match(EMAIL);
      expect(v, v).not.to.match(PHONE);
    }
    expect(e.value('dozvon_notifications_received_total', { kind: 'call', source: 'other' })).to.equal(1);
    expect(e.value('dozvon_digits_pressed_total', { digit: 'other' })).to.equal(1);
    const causes = new Set(e.samples.filter((s) => s.name === 'dozvon_call_attempts_total').map((s) => s.labels.cause));
    expect(causes.size).to.be.at.most(9);
    expect(e.value('dozvon_call_attempts_total', { outcome: 'failed', cause: 'other' })).to.be.greaterThan(0);
  });

  it('a removed heartbeat disappears and each Metrics has its own registry', async () => {
    h = await serve(new Metrics());
    const other = new Metrics();
    try {
      h.metrics.heartbeatState('db-backup', 'late');
      other.notificationReceived('push', 'cli');
      let e = await scrape(h);
      expect(e.value('dozvon_heartbeat_state', { name: 'db-backup', state: 'late' })).to.equal(1);
      expect(e.value('dozvon_notifications_received_total', { kind: 'push', source: 'cli' })).to.equal(undefined);
      h.metrics.heartbeatRemoved('db-backup');
      e = await scrape(h);
      expect(e.samples.filter((s) => s.name === 'dozvon_heartbeat_state')).to.have.length(0);
    } finally {
      other.stop();
    }
  });

  it('with a token, scrapes need the bearer token', async () => {
    h = await serve(new Metrics(), 'scrape-secret');
    expect((await fetch(`${h.url}/metrics`)).status).to.equal(401);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).to.equal(401);
    const e = await scrape(h, { authorization: 'Bearer scrape-secret' });
    expect(e.types.get('dozvon_call_attempts_total')).to.equal('counter');
  });
});
