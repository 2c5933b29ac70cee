/**
 * `dozvon check` prints telephony ok only when the running server can place
 * calls, and /readyz shows the telephony state beside "can page by some channel".
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runCliCaptured } from '../helpers/cli';
import { loadConfig } from '../../src/config';
import { buildApp } from '../../src/app';
import { silentLogger } from '../../src/core/log';
import { voiceWorld, VoiceWorld } from './voice/harness';

describe('dozvon check and /readyz tell whether calls can be placed', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let dir: string;
  beforeEach(async () => {
    w = await voiceWorld();
    dir = mkdtempSync(join(tmpdir(), 'dozvon-check-'));
  });
  afterEach(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = async () => {
    const env = {
      DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`,
      DOZVON_TTS: 'none',
      DOZVON_LISTEN: `127.0.0.1:${w.t.port}`,
      DOZVON_ARI_URL: w.asterisk.url,
      DOZVON_ARI_USER: w.asterisk.user,
      DOZVON_ARI_PASSWORD: w.asterisk.password,
    };
    const { code, stdout } = await runCliCaptured(['--json', 'check'], env);
    const body = JSON.parse(stdout) as { results: { name: string; ok: boolean; detail: string }[] };
    return { code, telephony: body.results.find((r) => r.name === 'telephony')!, trunks: body.results.find((r) => r.name === 'trunks')! };
  };
  const readyz = async () => {
    const r = await fetch(`${w.t.url}/readyz`);
    return { status: r.status, body: (await r.json()) as { status: string; checks: Record<string, string>; reason?: string } };
  };

  it('ok while the running server holds the app; down, with the reason, once another process took it', async () => {
    const good = await check();
    expect(good.telephony.ok, good.telephony.detail).to.equal(true);
    expect(good.telephony.detail).to.match(/Stasis app dozvon subscribed; dozvon serve at http:\/\/127\.0\.0\.1:\d+: connected/);
    expect(good.code).to.equal(0);
    expect(good.trunks).to.include({ ok: true, state: 'ok' });
    expect(good.trunks.detail).to.match(/dozvon serve at http:\/\/127\.0\.0\.1:\d+: every trunk carries calls/);
    expect(await readyz()).to.deep.include({ status: 200 });

    // Another program subscribes to the same app: Asterisk now routes every call to it, not to us.
    const intruder = new WebSocket(
      `${w.asterisk.url.replace('http', 'ws')}/ari/events?app=dozvon&api_key=${w.asterisk.user}:${w.asterisk.password}`,
    );
    await new Promise((resolve) => intruder.once('open', resolve));
    try {
      await w.until(() => w.tel.health().servers[0].state === 'replaced', 'replaced');
      const bad = await check();
      expect(bad.code).to.equal(1);
      expect(bad.telephony.ok).to.equal(false);
      // Asterisk alone would say "subscribed": only the server knows it is not the one holding it.
      expect(bad.telephony.detail).to.match(
        /Stasis app dozvon subscribed; dozvon serve at .*: 0\/1 Asterisk server\(s\) connected; .*another client took Stasis app "dozvon"/,
      );
      // Nothing can page anyone (no SMS or push sender in this world): not ready, and why.
      const r = await readyz();
      expect(r.status).to.equal(503);
      expect(r.body.checks.telephony).to.match(/another client took Stasis app "dozvon"/);
      expect(r.body.checks).to.include({ database: 'ok', sms: 'no sender configured', push: 'no sender configured' });
      expect(r.body.reason).to.match(/^no channel can page anyone/);
    } finally {
      intruder.close();
    }
    await w.until(() => w.tel.health().ok, 'healed', 10000);
    expect((await check()).telephony.ok).to.equal(true);
  });

  it('a second dozvon with the same DOZVON_ARI_APP does not start, and says why', async () => {
    const config = loadConfig({
      env: {
        DOZVON_LISTEN: '127.0.0.1:0',
        DOZVON_DB: `sqlite:${join(dir, 'second.sqlite')}`,
        DOZVON_TTS: 'none',
        DOZVON_ARI_URL: w.asterisk.url,
        DOZVON_ARI_USER: w.asterisk.user,
        DOZVON_ARI_PASSWORD: w.asterisk.password,
      },
    });
    const second = buildApp(config, { logger: silentLogger() });
    const err = await second.start().then(
      () => null,
      (e: unknown) => e as Error,
    );
    await second.stop();
    expect(err?.message).to.match(
      /^refusing to start: Stasis app "dozvon" is already subscribed on 127\.0\.0\.1:\d+ by another client \(another dozvon with the same DOZVON_ARI_APP\?\)\. Give each dozvon instance its own DOZVON_ARI_APP, or stop the other one\.$/,
    );
    expect(w.tel.health().ok).to.equal(true);
    expect((await check()).telephony.ok).to.equal(true);
  });
});
