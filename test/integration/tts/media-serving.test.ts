/**
 * Speech must be served with the settings `npm start` has: DOZVON_TTS_DIR left at its default,
 * the relative ./data/tts. Express's sendFile refuses relative paths, so every media fetch used
 * to answer 500 and no engineer heard a summary; the speech self-check said "ok" meanwhile.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { loadConfig } from '../../../src/config';
import { buildApp, App } from '../../../src/app';
import { silentLogger } from '../../../src/core/log';
import { SETTINGS } from '../../../src/config/env-schema';
import { FakeGoogleTts } from '../../fakes/google-tts';
import { parseWav, encodeWav } from '../../../src/tts/audio/wav';
import { speechCheck } from '../../../src/watchers/checks/speech';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('media serving with the default configuration (as npm start has it)', function () {
  this.timeout(20000);
  let google: FakeGoogleTts;
  let app: App;
  let dir: string;
  let port: number;
  const cwd = process.cwd();

  before(async () => {
    google = await new FakeGoogleTts().start();
    // npm start runs in the project folder; a temporary one stands in for it, so the relative
    // default lands there and not in the checkout.
    dir = mkdtempSync(path.join(tmpdir(), 'dozvon-npm-start-'));
    process.chdir(dir);
    port = await freePort();
    const config = loadConfig({ env: { DOZVON_LISTEN: `127.0.0.1:${port}`, DOZVON_TTS_GOOGLE_HOST: google.url } });
    expect(config.tts.dir).to.equal(SETTINGS.find((s) => s.name === 'DOZVON_TTS_DIR')!.default);
    expect(config.tts.dir).to.equal('./data/tts');
    expect(config.tts.delivery).to.equal('http');
    app = buildApp(config, { logger: silentLogger(), startEngines: false });
    await app.start();
  });
  after(async () => {
    await app?.stop();
    await google.stop();
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders into ./data/tts and serves the file at its public media URL with 200 and a playable WAV', async () => {
    const speech = await app.tts.render('Disk full on web-07', 'en');
    const url = speech.media[0].replace(/^sound:/, '');
    expect(url).to.match(new RegExp(`^http://127\\.0\\.0\\.1:${port}/media/[A-Za-z0-9_-]{32}\\.wav$`));
    expect(existsSync(path.join(dir, 'data/tts', path.basename(url)))).to.equal(true);
    const r = await fetch(url);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^audio\/(x-)?wav/);
    const wav = parseWav(Buffer.from(await r.arrayBuffer()));
    expect(wav.sampleRate).to.equal(8000);
    expect(wav.samples.length).to.be.greaterThan(8000);
  });

  it('answers errors as JSON with a JSON content type', async () => {
    for (const p of [`/media/${'A'.repeat(32)}.wav`, '/media/prompts/en/nope.wav', '/media/prompts/xx/menu.wav']) {
      const r = await fetch(`http://127.0.0.1:${port}${p}`);
      expect(r.status, p).to.equal(404);
      expect(r.headers.get('content-type'), p).to.match(/^application\/json/);
      expect(await r.json()).to.deep.equal({ error: 'not-found', message: 'no such media' });
    }
  });

  it('serves the recorded prompts for an Asterisk that does not have them installed', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/media/prompts/ru/menu.wav`);
    expect(r.status).to.equal(200);
    const wav = parseWav(Buffer.from(await r.arrayBuffer()));
    expect([8000, 16000]).to.include(wav.sampleRate);
  });

  it('the speech self-check fetches its own media URL and reports ok', async () => {
    const outcome = (await app.checks.runNow()).find((c) => c.name === 'speech')!;
    expect(outcome.ok, outcome.detail).to.equal(true);
    expect(outcome.detail).to.match(/media URL http:\/\/127\.0\.0\.1:\d+\/media\/… serves playable audio/);
  });
});

describe('the speech self-check', () => {
  const healthy = { health: async () => ({ ok: true, engines: [{ engine: 'google' as const, ok: true }] }) };

  it('fails when the media URL answers 500, naming the host but not the media name', async () => {
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = require('node:http').createServer((_req: unknown, res: import('node:http').ServerResponse) =>
        res.writeHead(500).end('{"error":"internal"}'),
      );
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as net.AddressInfo).port;
    try {
      const check = speechCheck({
        ...healthy,
        render: async () => ({
          media: [`sound:http://127.0.0.1:${port}/media/${'B'.repeat(32)}.wav`],
          lang: 'en',
          engine: 'google',
          cached: true,
        }),
      });
      const r = await check.run(AbortSignal.timeout(5000));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.include(`media URL http://127.0.0.1:${port}/media/… answered 500`);
      expect(r.detail).to.not.include('BBBB');
    } finally {
      server.close();
    }
  });

  it('fails when nothing listens at the public URL, and says to check DOZVON_PUBLIC_URL', async () => {
    const port = await freePort();
    const check = speechCheck({
      ...healthy,
      render: async () => ({ media: [`sound:http://127.0.0.1:${port}/media/x.wav`], lang: 'en', engine: 'google', cached: true }),
    });
    const r = await check.run(AbortSignal.timeout(5000));
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/unreachable \(connection refused: nothing listens.*check DOZVON_PUBLIC_URL/);
  });

  it('is degraded, not down, while Google is unreachable and espeak renders speech Asterisk can fetch', async () => {
    const wav = encodeWav(new Int16Array(8000), 8000);
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = require('node:http').createServer((_req: unknown, res: import('node:http').ServerResponse) =>
        res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav),
      );
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as net.AddressInfo).port;
    const engines = [
      { engine: 'google' as const, ok: false, detail: 'unreachable (ENOTFOUND)' },
      { engine: 'espeak' as const, ok: true },
    ];
    try {
      const check = speechCheck({
        health: async () => ({ ok: false, engines }),
        render: async () => ({ media: [`sound:http://127.0.0.1:${port}/media/x.wav`], lang: 'en', engine: 'espeak', cached: false }),
      });
      const r = await check.run(AbortSignal.timeout(5000));
      expect(r).to.include({ ok: true, state: 'degraded' });
      expect(r.detail).to.match(
        /^google: unreachable \(ENOTFOUND\); espeak: ok; media URL .* serves playable audio .*; espeak carries the load$/,
      );
      // No engine at all: down.
      const none = speechCheck({
        health: async () => ({ ok: false, engines: engines.map((e) => ({ ...e, ok: false })) }),
        render: async () => ({ media: [`sound:http://127.0.0.1:${port}/media/x.wav`], lang: 'en', engine: 'espeak', cached: false }),
      });
      expect(await none.run(AbortSignal.timeout(5000))).to.include({ ok: false });
    } finally {
      server.close();
    }
  });

  it('passes on prompts only (nothing is fetched) but still reports engine trouble', async () => {
    const check = speechCheck({
      health: async () => ({ ok: false, engines: [{ engine: 'google' as const, ok: false, detail: 'unreachable' }] }),
      render: async () => ({ media: ['sound:dozvon/incident'], lang: 'en', engine: 'none', cached: true }),
    });
    const r = await check.run(AbortSignal.timeout(5000));
    expect(r.ok).to.equal(false);
    expect(r.detail).to.equal('google: unreachable; prompts only: no rendered media to serve');
  });
});
