import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { express } from '../../../src/http/express';
import { parseWav } from '../../../src/tts/audio/wav';
import { GoogleSynthesizer } from '../../../src/tts/google';
import { buildTts, createMediaRouter, TtsSystem } from '../../../src/tts';
import { FakeClock } from '../../fakes/clock';
import { FakeGoogleTts } from '../../fakes/google-tts';

describe('tts engines (fake Google host, real espeak-ng)', function () {
  this.timeout(20000);
  let google: FakeGoogleTts;
  let dir: string;
  beforeEach(async () => {
    google = await new FakeGoogleTts().start();
    dir = mkdtempSync(path.join(tmpdir(), 'dozvon-tts-'));
  });
  afterEach(async () => {
    await google.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function system(engine: 'google' | 'espeak' | 'none', extra: { espeakBinary?: string; publicUrl?: string } = {}): TtsSystem {
    return buildTts(
      { engine, googleHost: google.url, delivery: 'http', dir },
      {
        publicUrl: extra.publicUrl ?? 'http://127.0.0.1:1/',
        logger: silentLogger(),
        clock: new SystemClock(),
        espeakBinary: extra.espeakBinary,
        google: { timeoutMs: 2000, backoffMs: 5 },
      },
    );
  }
  const fileOf = (uri: string) => path.join(dir, uri.slice(uri.lastIndexOf('/') + 1));

  it('speaks through Google: long text split as the library does, one playable WAV', async () => {
    const tts = system('google');
    const text = 'Incident: database replication lag. '.repeat(10).trim(); // ~360 chars → 2 parts
    const s = await tts.render(text, 'en');
    expect(s.engine).to.equal('google');
    expect(google.requests.map((r) => r.lang)).to.deep.equal(['en', 'en']);
    expect(google.requests.every((r) => r.text.length <= 200)).to.equal(true);
    expect(
      google.requests
        .map((r) => r.text)
        .join('')
        .replace(/\s/g, ''),
    ).to.equal(text.replace(/\s/g, ''));
    const wav = parseWav(readFileSync(fileOf(s.media[0])));
    expect(wav.sampleRate).to.equal(8000);
    expect(wav.samples.length / 8000).to.be.within(6.4, 7.0); // two fixture clips of 3.3 s
  });

  it('backs off on 429 on the clock and then succeeds', async () => {
    const clock = new FakeClock();
    const synth = new GoogleSynthesizer({ host: google.url, clock, logger: silentLogger(), backoffMs: 1000, retries429: 3 });
    google.fail(429, 2);
    let done = false;
    const p = synth.synthesize('hello', 'en').finally(() => (done = true));
    for (let i = 0; i < 200 && !done; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await clock.advance(500);
    }
    const pcm = await p;
    expect(pcm.samples.length).to.be.above(0);
    expect(google.requests.map((r) => r.status)).to.deep.equal([429, 429, 200]);
  });

  it('gives up on persistent 429 with a temporary error', async () => {
    const synth = new GoogleSynthesizer({
      host: google.url,
      clock: new SystemClock(),
      logger: silentLogger(),
      backoffMs: 1,
      retries429: 2,
    });
    google.failAlways(429);
    try {
      await synth.synthesize('hello', 'en');
      expect.fail('should throw');
    } catch (e) {
      expect((e as { code: string; temporary: boolean }).code).to.equal('tts-google-rate-limited');
      expect((e as { temporary: boolean }).temporary).to.equal(true);
    }
    expect(google.requests).to.have.length(3);
  });

  it('limits concurrent requests to the host', async () => {
    const synth = new GoogleSynthesizer({ host: google.url, clock: new SystemClock(), logger: silentLogger(), concurrency: 2 });
    google.latencyMs = 30;
    await synth.fetchMp3('word '.repeat(200), 'en'); // 1000 chars → 5+ parts
    expect(google.requests.length).to.be.at.least(5);
    expect(google.maxConcurrent).to.equal(2);
  });

  it('falls back to espeak-ng when Google is down, and skips Google for a while', async () => {
    const tts = system('google');
    google.failAlways(500);
    const s = await tts.render('Disk full on db-01.prod.example.com', 'ru');
    expect(s.engine).to.equal('espeak');
    const wav = parseWav(readFileSync(fileOf(s.media[0])));
    expect(wav.sampleRate).to.equal(8000);
    expect(wav.samples.length / 8000).to.be.above(1);
    const before = google.requests.length;
    expect((await tts.render('Another incident', 'en')).engine).to.equal('espeak');
    expect(google.requests.length).to.equal(before); // cooling down: no new request
  });

  it('falls back to prompts when espeak-ng is missing too', async () => {
    const tts = system('google', { espeakBinary: '/nonexistent/espeak-ng' });
    google.failAlways(500);
    const s = await tts.render('Incident: disk full. 3 alerts.', 'en');
    expect(s.engine).to.equal('none');
    expect(s.media).to.deep.equal(['sound:dozvon/incident', 'number:3', 'sound:dozvon/alerts']);
    const h = await tts.health();
    expect(h.ok).to.equal(false);
    expect(h.engines.map((e) => [e.engine, e.ok])).to.deep.equal([
      ['google', false],
      ['espeak', false],
      ['none', true],
    ]);
  });

  it('DOZVON_TTS=none never touches the network', async () => {
    const s = await system('none').render('You have 2 incidents', 'en');
    expect(s.media).to.deep.equal(['sound:dozvon/you_have', 'number:2', 'sound:dozvon/incidents']);
    expect(google.requests).to.have.length(0);
  });

  it('serves rendered audio over HTTP as audio/wav, and nothing else', async () => {
    const app = express();
    let server: Server | null = null;
    try {
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const tts = system('espeak', { publicUrl: base });
      app.use(createMediaRouter(tts.store));
      const s = await tts.render('Hello from dozvon', 'en');
      const url = s.media[0].replace(/^sound:/, '');
      expect(url.startsWith(`${base}media/`)).to.equal(true);
      const res = await fetch(url);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('audio/wav');
      const body = Buffer.from(await res.arrayBuffer());
      expect(parseWav(body).sampleRate).to.equal(8000);
      expect((await fetch(`${base}media/${'A'.repeat(32)}.wav`)).status).to.equal(404);
      expect((await fetch(`${base}media/..%2f.dozvon-media-key`)).status).to.equal(404);
      expect((await fetch(`${base}media/.dozvon-media-key`)).status).to.equal(404);
    } finally {
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
    }
  });
});
