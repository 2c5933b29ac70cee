/**
 * The machine doors, fuzzed over the whole app on SQLite and PostgreSQL: wrong cloud tokens and
 * heartbeat keys in every shape and through every route end in the 429 of their protocol after
 * SECRET_FAILURES, for that address only; a heartbeat key flooding creations under random names
 * creates exactly heartbeats.api_create_limit of them; links planted in the speech folder are
 * never served; and requests refused before their body was read get their connection closed
 * instead of the server draining the gigabytes they announce. No answer is ever a 5xx.
 */
import { expect } from 'chai';
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachDb } from '../../helpers/pg';
import { startAppOn } from '../../helpers/app-db';
import { ADMIN_TOKEN, CLOUD_TOKEN, RunningApp } from '../../helpers/app';
import { SECRET_FAILURES } from '../../../src/http/secret-limits';
import { planListen } from '../../../src/listen';

const HB_KEY = 'doors-fuzz-heartbeat-key-0123456789';
const CREATE_LIMIT = 5;
const WRONG_TOKENS = [
  'x',
  `${CLOUD_TOKEN}x`,
  `x${CLOUD_TOKEN}`,
  CLOUD_TOKEN.slice(0, -1),
  CLOUD_TOKEN.toUpperCase(),
  `Bearer ${CLOUD_TOKEN}`,
  `Token ${CLOUD_TOKEN}`,
  `Basic ${Buffer.from(`u:${CLOUD_TOKEN}`).toString('base64')}`,
  '\u00e9'.repeat(40),
  'k'.repeat(5000),
  HB_KEY,
  ADMIN_TOKEN,
];
const CLOUD_ROUTES = [
  'GET /api/v1/info/',
  'GET /api/v1/users?page=1',
  'GET /api/v1/integrations/',
  'POST /api/v1/integrations/',
  'POST /api/v1/make_call',
  'POST /api/v1/send_sms',
  'POST /mobile_app/v1/fcm_relay',
  'POST /api/v1/oncall/webhook',
  'GET /oncall/api/v1/info',
];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const WRONG_KEY_DOORS: { method: string; path: string; auth?: string }[] = [
  { method: 'GET', path: '/v2/heartbeats', auth: 'GenieKey wrong-key-0000000000' },
  { method: 'POST', path: '/v2/heartbeats', auth: `Basic ${b64('user:wrong-key-0000000000')}` },
  { method: 'POST', path: '/v2/heartbeats/x/ping', auth: `Basic ${b64('wrong-key-0000000000')}` },
  { method: 'DELETE', path: '/v2/heartbeats/x?apiKey=wrong-key-0000000000' },
  { method: 'GET', path: '/ping/wrong-key-0000000000/backup?create=1' },
  { method: 'POST', path: '/ping/wrong-key-0000000000/backup/fail' },
  { method: 'GET', path: `/ping/${HB_KEY.toUpperCase()}/backup` },
  { method: 'GET', path: '/ping/backup', auth: 'Bearer wrong-key-0000000000' },
  { method: 'POST', path: '/api/v1/alertmanager?apiKey=wrong-key-0000000000' },
  { method: 'POST', path: '/oncall/api/v1/alertmanager', auth: `GenieKey ${CLOUD_TOKEN}` },
];

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** One random name a sender might make up: ASCII, Cyrillic, spaces, 200 characters, case variants. */
function randomName(i: number): string {
  const shapes = [`job-${i}`, `JOB-${i}`, `задача ${i}`, `${i} with spaces`, `${'n'.repeat(190)}-${i}`, `dots.${i}.and_under-scores`];
  return shapes[i % shapes.length];
}

forEachDb('fuzz: the machine doors (secrets, creations, symlinks, unread bodies)', (_make, kind) => {
  let t: RunningApp;
  let dir: string;
  const replies: string[] = [];

  before(async function () {
    this.timeout(60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'dozvon-doors-fuzz-'));
    const config = path.join(dir, 'dozvon.yaml');
    writeFileSync(
      config,
      `senders:\n  sms: { type: http, name: sms-gw, url: "http://127.0.0.1:9/send", body: { to: "{{to}}", text: "{{text}}" } }\nheartbeats:\n  page: [ops@example.com]\n  api_create_limit: ${CREATE_LIMIT}\n`,
    );
    t = await startAppOn(kind, {
      DOZVON_HEARTBEAT_KEYS: HB_KEY,
      DOZVON_CONFIG: config,
      DOZVON_TRUST_PROXY: 'loopback',
      DOZVON_TTS_DIR: path.join(dir, 'tts'),
      DOZVON_PUBLIC_URL: 'http://dozvon.test:8080/oncall/',
      DOZVON_DAILY_LIMIT_CALLS: '0',
    });
    await t.app.users.create({ email: 'ops@example.com', name: 'Ops', phone: '+15550009999' }, { lang: 'en' });
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(
      replies.filter((r) => /→ 5\d\d/.test(r)),
      'no 5xx',
    ).to.deep.equal([]);
    replies.length = 0;
  });

  async function call(from: string, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
    const res = await fetch(`${t.url}${p}`, {
      method,
      headers: { 'x-forwarded-for': from, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body,
    });
    const reply = { status: res.status, headers: res.headers, text: await res.text() };
    replies.push(`${method} ${p.slice(0, 60)} → ${reply.status}`);
    return reply;
  }

  it("wrong cloud tokens of every shape on every cloud route: exactly SECRET_FAILURES 403s, then the cloud's 429 for that address only", async function () {
    this.timeout(60_000);
    const from = '203.0.113.50';
    const cases = Array.from({ length: SECRET_FAILURES * 3 }, (_, i) => ({
      route: CLOUD_ROUTES[i % CLOUD_ROUTES.length],
      token: WRONG_TOKENS[i % WRONG_TOKENS.length],
    }));
    const statuses: number[] = [];
    await pool(cases, 8, async ({ route, token }) => {
      const [method, p] = route.split(' ');
      const r = await call(
        from,
        method,
        p,
        { authorization: token },
        method === 'POST' ? '{"email":"ops@example.com","message":"x"}' : undefined,
      );
      statuses.push(r.status);
      if (r.status === 429) {
        expect(Number(r.headers.get('retry-after'))).to.be.greaterThan(0);
        expect(JSON.parse(r.text))
          .to.have.property('detail')
          .that.matches(/^Request was throttled\. Expected available in \d+ seconds\.$/);
      }
    });
    expect(statuses.filter((s) => s === 403)).to.have.length(SECRET_FAILURES);
    expect(statuses.filter((s) => s === 429)).to.have.length(cases.length - SECRET_FAILURES);
    expect((await call(from, 'GET', '/api/v1/info/', { authorization: CLOUD_TOKEN })).status, 'the right token, locked out').to.equal(429);
    expect((await call('203.0.113.51', 'GET', '/api/v1/info/', { authorization: CLOUD_TOKEN })).status, 'another address').to.equal(200);
    expect(
      (await call(from, 'GET', '/v2/heartbeats', { authorization: `GenieKey ${HB_KEY}` })).status,
      'heartbeat keys count apart',
    ).to.equal(200);
  });

  it("wrong heartbeat keys of every shape through every door: exactly SECRET_FAILURES 401s, then 429 in each door's shape", async function () {
    this.timeout(60_000);
    const from = '198.51.100.50';
    const cases = Array.from({ length: SECRET_FAILURES * 3 }, (_, i) => WRONG_KEY_DOORS[i % WRONG_KEY_DOORS.length]);
    const statuses: number[] = [];
    await pool(cases, 8, async (d) => {
      const r = await call(from, d.method, d.path, d.auth ? { authorization: d.auth } : {}, d.method === 'POST' ? '{}' : undefined);
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).to.be.greaterThan(0);
      if (r.status === 429 && d.path.includes('/v2/')) expect(JSON.parse(r.text)).to.have.all.keys('message', 'took', 'requestId');
    });
    expect(statuses.filter((s) => s === 401)).to.have.length(SECRET_FAILURES);
    expect(statuses.filter((s) => s === 429)).to.have.length(cases.length - SECRET_FAILURES);
    expect((await call(from, 'GET', `/ping/${HB_KEY}/backup?create=1`)).status, 'the right key, locked out').to.equal(429);
    expect((await call(from, 'GET', '/api/v1/info/', { authorization: CLOUD_TOKEN })).status, 'the cloud token counts apart').to.equal(200);
    expect(
      (await call('198.51.100.51', 'GET', '/v2/heartbeats', { authorization: `GenieKey ${HB_KEY}` })).status,
      'another address',
    ).to.equal(200);
  });

  it('a key flooding creations under random names through every door creates exactly the limit', async function () {
    this.timeout(60_000);
    const before = (await t.app.heartbeats.list()).length;
    const key = { authorization: `GenieKey ${HB_KEY}` };
    const doors = [
      (n: string) => call('192.0.2.10', 'GET', `/ping/${HB_KEY}/${encodeURIComponent(n)}?create=1`),
      (n: string) => call('192.0.2.10', 'POST', `/ping/${HB_KEY}/${encodeURIComponent(n)}/start?create=1`),
      (n: string) =>
        call('192.0.2.10', 'POST', '/v2/heartbeats', key, JSON.stringify({ name: n, interval: 1, intervalUnit: 'hours', enabled: true })),
      (n: string) =>
        call(
          '192.0.2.10',
          'POST',
          `/api/v1/alertmanager?heartbeat=${encodeURIComponent(n)}`,
          key,
          JSON.stringify({ receiver: 'r', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Watchdog' } }] }),
        ),
    ];
    const statuses: number[] = [];
    await pool(
      Array.from({ length: 60 }, (_, i) => i),
      12,
      async (i) => {
        const r = await doors[i % doors.length](randomName(i));
        statuses.push(r.status);
        if (r.status === 403) expect(r.text).to.include('api_create_limit');
      },
    );
    const after = await t.app.heartbeats.list();
    expect(after.length, `heartbeats created (${JSON.stringify(statuses)})`).to.equal(Math.max(before, CREATE_LIMIT));
    expect(statuses.filter((s) => s === 403).length).to.be.greaterThan(0);
  });

  it('links planted in the speech folder are never served, nor played by Listen', async () => {
    const tts = t.app.tts.store.dir;
    mkdirSync(tts, { recursive: true });
    mkdirSync(path.join(dir, 'outside'), { recursive: true });
    writeFileSync(path.join(dir, 'outside', 'secret.wav'), 'SECRET-OUTSIDE-THE-FOLDER');
    const targets = [
      path.join(dir, 'outside', 'secret.wav'),
      path.join(dir, 'dozvon.yaml'),
      path.join(tts, '.dozvon-media-key'),
      path.join(dir, 'outside'),
      path.join(dir, 'nowhere.wav'),
      '/etc/passwd',
      '../outside/secret.wav',
    ];
    const names = targets.map((target, i) => {
      const name = `${String.fromCharCode(65 + i).repeat(32)}.wav`;
      symlinkSync(target, path.join(tts, name));
      return name;
    });
    // A chain: a link inside pointing at a link that leaves.
    symlinkSync(path.join(tts, names[0]), path.join(tts, `${'Z'.repeat(32)}.wav`));
    names.push(`${'Z'.repeat(32)}.wav`);
    for (const name of names) {
      for (const p of [`/media/${name}`, `/oncall/media/${name}`, `/media/${name}?sig=1`, `/media/./${name}`]) {
        const r = await call('192.0.2.20', 'GET', p);
        expect(r.status, p).to.equal(404);
        expect(r.text).to.not.include('SECRET');
      }
    }
    const roots = { ttsDir: tts, soundsRoot: path.join(dir, 'sounds'), publicUrl: 'http://dozvon.test:8080/oncall/' };
    const plan = await planListen([{ media: names.map((n) => `sound:http://dozvon.test:8080/oncall/media/${n}`), lang: 'en' }], roots);
    expect(plan.parts.map((p) => p.status)).to.deep.equal(names.map(() => 'missing'));
  });

  it('refusals before the body (no token, wrong key, wrong admin token, locked out, unknown path) close a 2 GB upload after a few KB', async function () {
    this.timeout(60_000);
    const refusals = [
      'POST /api/v1/make_call',
      'POST /api/v1/make_call\r\nAuthorization: wrong-token-000000000',
      'POST /v2/heartbeats\r\nAuthorization: GenieKey wrong-key-00000000',
      `POST /ping/${HB_KEY}x/backup/log`,
      'POST /api/v1/alertmanager',
      `POST /api/admin/users\r\nAuthorization: Bearer ${ADMIN_TOKEN}x`,
      'POST /no/such/path',
      'PUT /media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.wav',
      `POST /api/v1/make_call\r\nAuthorization: ${CLOUD_TOKEN}\r\nX-Forwarded-For: 203.0.113.50`,
    ];
    await pool(refusals, 4, async (head) => {
      const [line, ...extra] = head.split('\r\n');
      const [method, p] = line.split(' ');
      const outcome = await new Promise<{ status: number; close: boolean }>((resolve, reject) => {
        const sock = connect(t.port, '127.0.0.1');
        let text = '';
        let status = 0;
        sock.on('error', reject);
        sock.on('data', (c: Buffer) => {
          text += c.toString('latin1');
          if (!status && text.includes('\r\n\r\n')) status = Number(text.split(' ')[1]);
        });
        // The client sends nothing after its first 4 KB: only the server can end this connection.
        sock.on('end', () => resolve({ status, close: /\r\nconnection: close\r\n/i.test(text) }));
        sock.write(
          `${method} ${p} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 ** 3}\r\n${extra.map((h) => `${h}\r\n`).join('')}\r\n`,
        );
        sock.write(Buffer.alloc(4096, 0x5b));
      });
      replies.push(`${head.split('\r\n')[0]} → ${outcome.status}`);
      expect(outcome.status, head).to.be.within(400, 499);
      expect(outcome.close, head).to.equal(true);
    });
    expect(
      (
        await call(
          '192.0.2.30',
          'POST',
          '/api/v1/make_call',
          { authorization: CLOUD_TOKEN, 'content-type': 'application/x-www-form-urlencoded' },
          'email=ops%40example.com&message=still+here',
        )
      ).status,
    ).to.equal(200);
  });
});
