import { createServer, AddressInfo } from 'node:net';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../helpers/cli';
import { voiceWorld } from './voice/harness';
import { FakeAsterisk } from '../fakes/asterisk';
import { FakeSmsGateway } from '../fakes/senders';
import { startApp } from '../helpers/app';

/** A port nothing listens on (just released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('dozvon call / check / heartbeats', function () {
  this.timeout(30000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-ops-'));
    env = { DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`, DOZVON_ADMIN_TOKEN: 'admin-token-0123456789', DOZVON_TTS: 'none' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], e = env) => runCliCaptured(args, e);

  it('call places a test call through the running server and prints the outcome', async () => {
    const w = await voiceWorld();
    try {
      await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
      w.asterisk.phone('+15550001111').willAnswerAfter(50).willPress('1', { afterPlaybackStartMs: 30 });
      const r = await run(['--json', 'call', '--to', 'alice@example.com', '--text', 'This is a dozvon test call', '--server', w.t.url]);
      expect(r.code, r.stderr).to.equal(0);
      const body = JSON.parse(r.stdout);
      expect(body).to.include({ state: 'delivered', kind: 'call' });
      expect(body.attempts[0]).to.include({ outcome: 'answered', digits: '1' });
      w.asterisk.phone('+15550001111').willBeBusy();
      const busy = await run(['call', '--to', 'alice@example.com', '--text', 'again', '--server', w.t.url, '--wait', '2']);
      expect(busy.code).to.equal(1);
      expect(busy.stdout).to.match(/^(pending|active|failed)/);
      const unknown = await run(['call', '--to', 'ghost@example.com', '--text', 'x', '--server', w.t.url]);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.include('no user');
    } finally {
      await w.close();
    }
  });

  it('call without a running server fails with a clear message', async () => {
    const r = await run(['call', '--to', 'a@x.io', '--text', 'x', '--server', 'http://127.0.0.1:9']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('not reachable');
  });

  it('check runs every self-check once and exits 1 when one fails (ARI unreachable; Asterisk up but no dozvon on it)', async () => {
    const bad = await run(['--json', 'check'], { ...env, DOZVON_ARI_URL: 'http://127.0.0.1:9' });
    expect(bad.code).to.equal(1);
    const body = JSON.parse(bad.stdout) as { ok: boolean; results: { name: string; ok: boolean }[] };
    expect(body.ok).to.equal(false);
    expect(body.results.find((c) => c.name === 'telephony')!.ok).to.equal(false);
    expect(body.results.map((c) => c.name)).to.include.members(['database', 'speech', 'heartbeats']);
    // Port 9 is one fetch refuses to use: the detail says why, not a bare "fetch failed".
    expect(body.results.find((c) => c.name === 'telephony')!)
      .to.include({ state: 'down' })
      .and.have.property('detail')
      .that.matches(/127\.0\.0\.1:9: fetch failed: bad port/);
    const closed = await freePort();
    const refused = JSON.parse(
      (await run(['--json', 'check'], { ...env, DOZVON_ARI_URL: `http://127.0.0.1:${closed}` })).stdout,
    ) as typeof body;
    expect((refused.results.find((c) => c.name === 'telephony') as unknown as { detail: string }).detail).to.match(
      new RegExp(`127\\.0\\.0\\.1:${closed}: connection refused: nothing listens`),
    );
    const dns = JSON.parse(
      (await run(['--json', 'check'], { ...env, DOZVON_ARI_URL: 'http://asterisk.invalid:8088' })).stdout,
    ) as typeof body;
    expect((dns.results.find((c) => c.name === 'telephony') as unknown as { detail: string }).detail).to.match(
      /asterisk\.invalid:8088: DNS: /,
    );
    const asterisk = await FakeAsterisk.start();
    try {
      // Asterisk answers, but no dozvon is subscribed to the app: nobody can be called.
      // The passing case, with a server connected, is in cli-check-telephony.test.ts.
      const lonely = await run(['check'], {
        ...env,
        DOZVON_ARI_URL: asterisk.url,
        DOZVON_ARI_USER: asterisk.user,
        DOZVON_ARI_PASSWORD: asterisk.password,
      });
      expect(lonely.code, lonely.stdout).to.equal(1);
      expect(lonely.stdout).to.match(/telephony\s+DOWN\s+.*Asterisk 22\.10\.1, Stasis app dozvon not subscribed/);
    } finally {
      await asterisk.close();
    }
  });

  it('check: not configured and degraded are not failures (exit 0); a wrong ARI password is down with a 401 hint', async () => {
    const plain = await run(['--json', 'check'], env);
    expect(plain.code, plain.stdout).to.equal(0);
    const body = JSON.parse(plain.stdout) as { ok: boolean; results: { name: string; state: string; detail: string }[] };
    expect(body.ok).to.equal(true);
    const of = (name: string) => body.results.find((c) => c.name === name)!;
    expect(of('telephony')).to.include({ state: 'not configured' });
    expect(of('oncall')).to.include({ state: 'not configured' });
    const human = await run(['check'], env);
    expect(human.stdout).to.match(/telephony\s+not configured\s+DOZVON_ARI_URL is empty/);
    const asterisk = await FakeAsterisk.start();
    try {
      const wrong = await run(['--json', 'check'], {
        ...env,
        DOZVON_ARI_URL: asterisk.url,
        DOZVON_ARI_USER: asterisk.user,
        DOZVON_ARI_PASSWORD: 'not-the-password',
      });
      expect(wrong.code).to.equal(1);
      const t = (JSON.parse(wrong.stdout) as { results: { name: string; state: string; detail: string }[] }).results.find(
        (c) => c.name === 'telephony',
      )!;
      expect(t.state).to.equal('down');
      expect(t.detail).to.match(/401: wrong credentials \(check DOZVON_ARI_USER \/ DOZVON_ARI_PASSWORD/);
    } finally {
      await asterisk.close();
    }
  });

  it('check: a sender without health_url is unchecked, neither ok nor a failure', async () => {
    const file = join(dir, 'unprobed.yaml');
    require('node:fs').writeFileSync(
      file,
      'senders:\n  sms:\n    - { type: http, name: gw, url: "http://127.0.0.1:9/send", body: { to: "{{to}}" } }\n',
    );
    const human = await run(['check'], { ...env, DOZVON_CONFIG: file });
    expect(human.code, human.stdout).to.equal(0);
    expect(human.stdout).to.match(/sender:gw\s+unchecked\s+not checked \(no health_url\)/);
  });

  it('heartbeats add validates its flags and list shows the new heartbeat', async () => {
    expect((await run(['heartbeats', 'add', 'backup', '--every', 'soon'])).code).to.equal(2);
    expect((await run(['heartbeats', 'add', 'backup', '--every', '1h', '--page', 'not-an-email'])).code).to.equal(2);
    expect((await run(['users', 'add', '--email', 'ops@example.com', '--name', 'Ops', '--phone', '+15550001111'])).code).to.equal(0);
    const ok = await run(['heartbeats', 'add', 'backup', '--every', '1h', '--grace', '10m', '--page', 'ops@example.com']);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include('ping/backup');
    expect((await run(['heartbeats', 'add', 'backup', '--every', '1h'])).code).to.equal(1);
    const list = JSON.parse((await run(['--json', 'heartbeats', 'list'])).stdout);
    expect(list.results[0]).to.include({ name: 'backup', periodS: 3600, graceS: 600, state: 'new' });
  });

  it('users verify sends a code by SMS through the running server; --code confirms it; wrong codes fail', async () => {
    const gw = await FakeSmsGateway.start();
    const file = join(dir, 'senders.yaml');
    require('node:fs').writeFileSync(
      file,
      `senders:\n  sms:\n    - { type: http, name: gw, url: "${gw.url}/send", body: { to: "{{to}}", text: "{{text}}" } }\n`,
    );
    const app = await startApp({ DOZVON_CONFIG: file }, { startEngines: true });
    try {
      await app.app.users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550003333' }, { lang: 'en' });
      const cli = { ...env, DOZVON_ADMIN_TOKEN: 'admin-token-0123456789' };
      const sent = await run(['users', 'verify', 'bob@example.com', '--sms', '--server', app.url], cli);
      expect(sent.code, sent.stderr).to.equal(0);
      const code = /\b(\d{6})\b/.exec(gw.last().body)![1];
      expect((await app.app.users.getByEmail('bob@example.com'))!.phoneVerified).to.equal(false);
      const again = await run(['users', 'verify', 'bob@example.com', '--sms', '--server', app.url], cli);
      expect(again.code).to.equal(75); // one send per minute
      const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
      expect((await run(['users', 'verify', 'bob@example.com', '--code', wrong, '--server', app.url], cli)).code).to.equal(1);
      const ok = await run(['users', 'verify', 'bob@example.com', '--code', code, '--server', app.url], cli);
      expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
      expect((await app.app.users.getByEmail('bob@example.com'))!.phoneVerified).to.equal(true);
      expect((await run(['users', 'verify', 'ghost@example.com', '--server', app.url], cli)).code).to.equal(2);
    } finally {
      await app.close();
      await gw.close();
    }
  });
});
