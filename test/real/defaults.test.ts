/**
 * The README's getting-started steps with their defaults, on a real Asterisk: `dozvon serve`
 * started as an operator starts it (its own process, a fresh folder, relative ./data paths),
 * people added with the CLI, OnCall calling make_call, the engineer's phone answering over SIP.
 * Only what must point at the test world is set: tokens, OnCall, ARI, the listen port (8080 may
 * be taken on a CI machine) and Google's host (no internet here; the fake speaks its protocol).
 */
import { expect } from 'chai';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useRealAsterisk } from './setup';
import { freePort } from './asterisk/process';
import { TestPhones } from './phones';
import { measure, mediaSeconds } from './audio';
import { pageText, CLOUD_TOKEN, ADMIN_TOKEN } from './world';
import { FakeOnCall } from '../fakes/oncall';
import { FakeGoogleTts } from '../fakes/google-tts';
import { dozvonArgs, waitExit } from '../helpers/spawn';
import { pyRequest, rawRequest } from '../helpers/raw-http';
import { CORE_SOUNDS } from './asterisk/config';

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, dozvonArgs(args), {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('real Asterisk: the README with its defaults', function () {
  const asterisk = useRealAsterisk(this);
  let dir: string;
  let serve: ChildProcess;
  let out = '';
  let env: Record<string, string>;
  let port: number;
  let oncall: FakeOnCall;
  let google: FakeGoogleTts;
  let phones: TestPhones;

  before(async function () {
    const a = asterisk();
    dir = mkdtempSync(path.join(tmpdir(), 'dz-readme-'));
    oncall = await FakeOnCall.start();
    oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
    google = await new FakeGoogleTts().start();
    google.charsPerClip = 40;
    port = await freePort();
    env = {
      DOZVON_LISTEN: `127.0.0.1:${port}`,
      DOZVON_CLOUD_TOKENS: CLOUD_TOKEN,
      DOZVON_ADMIN_TOKEN: ADMIN_TOKEN,
      DOZVON_ONCALL_URL: oncall.url,
      DOZVON_ONCALL_TOKEN: 'svc-token',
      DOZVON_ARI_URL: a.ariUrl,
      DOZVON_ARI_PASSWORD: a.layout.ariPassword,
      DOZVON_TTS_GOOGLE_HOST: google.url,
    };
    const add = await run(
      [
        'users',
        'add',
        '--email',
        'alice@example.com',
        '--name',
        'Alice Smith',
        '--phone',
        '+79161234567',
        '--lang',
        'ru',
        '--pin',
        '2468',
        '--create',
      ],
      env,
      dir,
    );
    if (add.code !== 0) {
      // Older CLIs create the database without being asked.
      const again = await run(
        [
          'users',
          'add',
          '--email',
          'alice@example.com',
          '--name',
          'Alice Smith',
          '--phone',
          '+79161234567',
          '--lang',
          'ru',
          '--pin',
          '2468',
        ],
        env,
        dir,
      );
      expect(again.code, again.out).to.equal(0);
    }
    serve = spawn(process.execPath, dozvonArgs(['serve']), {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve.stdout!.on('data', (d) => (out += d));
    serve.stderr!.on('data', (d) => (out += d));
    const end = Date.now() + 20_000;
    while (!/"telephony":"connected/.test(out)) {
      if (serve.exitCode !== null || Date.now() > end) throw new Error(`dozvon serve did not come up connected:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    phones = await TestPhones.connect(a);
  });
  after(async () => {
    phones?.close();
    serve?.kill('SIGTERM');
    if (serve) await waitExit(serve);
    await oncall?.close();
    await google?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('make_call → the phone hears the Russian summary in full → 1 acknowledges in OnCall', async () => {
    const integ = oncall.state.addIntegration({ name: 'Prod' });
    const group = oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on web-07.prod.example.com' });
    const body = `email=alice%40example.com&message=${encodeURIComponent(pageText('Disk full on web-07.prod.example.com', group.id)).replace(/%20/g, '+')}`;
    const r = await rawRequest(port, pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body }));
    expect(r.status, r.body).to.equal(200);
    const call = await phones.expectCall('79161234567');
    await call.answer();
    const menu = await phones.waitPlayback((m) => /menu/.test(m), 'the menu', 30_000);
    await phones.waitEvent((e) => e.type === 'PlaybackFinished' && e.playback?.id === menu.id, 'the menu to finish', 30_000);
    const heard = phones.played();
    await call.press('1');
    await call.waitEnded();
    expect(heard.filter((m) => m.includes('/media/'))).to.have.length.greaterThan(0);
    expect(asterisk().log()).to.not.match(/Failed to retrieve URL|Playback failed/);
    const ttsDir = path.join(dir, 'data/tts');
    const all = phones.played();
    const played = all.reduce((s, m) => s + mediaSeconds(m, 'ru', ttsDir, CORE_SOUNDS.ru), 0);
    const rec = measure(await call.recording());
    expect(rec.voicedSeconds).to.be.greaterThan(1);
    expect(rec.seconds, `heard ${rec.seconds.toFixed(2)} s, played ${played.toFixed(2)} s`).to.be.within(played * 0.9, played * 1.1);
    await new Promise((r) => setTimeout(r, 200));
    expect(oncall.state.groups.get(group.id)!.acknowledgedBy).to.be.a('string');
  });
});
