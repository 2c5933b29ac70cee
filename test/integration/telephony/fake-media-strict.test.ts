/**
 * Against a real Asterisk every rendered-speech playback failed because
 * GET /media/<name>.wav answered 500 (a relative DOZVON_TTS_DIR handed to res.sendFile), while the
 * fake played any URI. The fake now opens media as Asterisk does; these stories show it refusing
 * what Asterisk refuses, and playing what it plays for as long as the audio lasts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { express, type NextFunction, type Request, type Response } from '../../../src/http/express';
import { silentLogger } from '../../../src/core/log';
import { SoundsProbe } from '../../../src/telephony/sounds-probe';
import { createMediaRouter } from '../../../src/tts/router';
import { FileMediaStore } from '../../../src/tts/store';
import type { CallLeg } from '../../../src/telephony';
import { FakeAsterisk, pcmWav } from '../../fakes/asterisk';
import { checkWav } from '../../fakes/asterisk/audio-format';
import { answered, Harness, makeHarness } from './harness';

async function serve(app: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('fake Asterisk: media as strict as the real one', () => {
  let h: Harness;
  let leg: CallLeg;
  const cleanup: Array<() => Promise<void> | void> = [];
  /** Relative to the cwd, as the default ./data/tts is (data/ is git-ignored). */
  let relDir: string;

  beforeEach(async () => {
    h = await makeHarness({ timeScale: 0.05 });
    h.asterisk.phone('1001').willAnswerAfter(0);
    leg = await h.dial('1001');
    await answered(leg);
    mkdirSync('data', { recursive: true });
    relDir = mkdtempSync(path.join('data', 'fake-media-'));
    expect(path.isAbsolute(relDir)).to.equal(false);
    cleanup.push(() => rmSync(relDir, { recursive: true, force: true }));
  });
  afterEach(async () => {
    await h.close();
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  const play = async (media: string[], lang?: string) => (await leg.play(media, lang ? { lang } : {})).finished;
  const finishedAfterStart = (): number => {
    const at = (type: string) => h.asterisk.events.find((e) => e.event.type === type)?.at ?? NaN;
    return at('PlaybackFinished') - at('PlaybackStarted');
  };

  it('the old bug: a media route giving res.sendFile a relative path answers 500, and the playback fails', async () => {
    const app = express();
    // What src/tts/router.ts did before the fix: the store's directory as configured, unresolved.
    app.get('/media/:file', (req, res) => res.sendFile(path.join(relDir, String(req.params.file))));
    // Like dozvon's error middleware: the TypeError from sendFile becomes a quiet JSON 500.
    app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => void res.status(500).json({ error: 'internal' }));
    const web = await serve(app);
    cleanup.push(() => web.close());
    const name = 'speech.wav';
    writeFileSync(path.join(relDir, name), pcmWav(500));

    expect(await play([`sound:${web.url}/media/${name}`])).to.equal('failed');
    expect(h.asterisk.mediaFetches).to.have.length(1);
    expect(h.asterisk.mediaFetches[0]).to.include({ url: `${web.url}/media/${name}`, status: 500, outcome: 'http-error' });
  });

  it("dozvon's real media router over a FileMediaStore with a relative dir: fetched, played for the WAV's length", async () => {
    const app = express();
    const web = await serve(app);
    cleanup.push(() => web.close());
    // Built as src/app.ts builds it; the route is mounted once the public URL (the port) is known.
    const real = new FileMediaStore({ dir: relDir, delivery: 'http', publicUrl: web.url });
    await real.init();
    app.use(createMediaRouter(real));
    const file = real.fileFor('hello in en', 'wav');
    const audio = pcmWav(1250);
    await real.put(file, audio);
    const uri = real.mediaUri(file);
    expect(uri).to.equal(`sound:${web.url}/media/${file}`);

    expect(await play([uri])).to.equal('done');
    const fetch = h.asterisk.mediaFetches[0];
    expect(fetch).to.include({ status: 200, outcome: 'ok', bytes: audio.length, durationMs: 1250 });
    expect(fetch.contentType).to.match(/^audio\//);
    expect(h.asterisk.mediaOpened.map((o) => [o.uri, o.durationMs])).to.deep.equal([[uri, 1250]]);
    // 1250 Asterisk ms at timeScale 0.05 = 62.5 real ms, plus the fetch.
    expect(finishedAfterStart()).to.be.within(60, 1000);
  });

  it('a DOZVON_TTS_DIR under a dot-directory (~/.cache/dozvon/tts, ./.data/tts) is served too', async () => {
    // Fails until src/tts/router.ts hands sendFile a `root`: with an absolute path and no root,
    // `send` applies dotfiles: 'deny' to every segment of the path, so any dotted parent directory
    // turns every /media answer into a 403, which the router reports as a 500.
    const dotted = mkdtempSync(path.join(relDir, '.cache-'));
    const app = express();
    const web = await serve(app);
    cleanup.push(() => web.close());
    const store = new FileMediaStore({ dir: path.join(dotted, 'tts'), delivery: 'http', publicUrl: web.url });
    await store.init();
    app.use(createMediaRouter(store));
    const file = store.fileFor('hello', 'wav');
    await store.put(file, pcmWav(400));
    expect(await play([store.mediaUri(file)])).to.equal('done');
    expect(h.asterisk.mediaFetches[0]).to.include({ status: 200, outcome: 'ok' });
  });

  it('a 404 fails the playback', async () => {
    const app = express();
    const store = new FileMediaStore({ dir: relDir, delivery: 'http', publicUrl: 'http://x' });
    await store.init();
    app.use(createMediaRouter(store));
    const web = await serve(app);
    cleanup.push(() => web.close());
    const url = `${web.url}/media/${store.fileFor('never rendered', 'wav')}`;
    expect(await play([`sound:${url}`])).to.equal('failed');
    expect(h.asterisk.mediaFetches[0]).to.include({ url, status: 404, outcome: 'http-error' });
  });

  it('a 200 whose body is HTML or JSON is not audio: the playback fails', async () => {
    const app = express();
    app.get('/page.wav', (_req, res) => res.type('html').send('<!doctype html><title>Login</title>'));
    app.get('/api.wav', (_req, res) => res.json({ error: 'internal' }));
    app.get('/raw.sln16', (_req, res) => res.json({ error: 'internal' }));
    const web = await serve(app);
    cleanup.push(() => web.close());
    for (const p of ['/page.wav', '/api.wav', '/raw.sln16']) expect(await play([`sound:${web.url}${p}`]), p).to.equal('failed');
    expect(h.asterisk.mediaFetches.map((f) => [f.status, f.outcome])).to.deep.equal([
      [200, 'not-audio'],
      [200, 'not-audio'],
      [200, 'not-audio'],
    ]);
    expect(h.asterisk.mediaFetches[0].contentType).to.match(/^text\/html/);
  });

  it('refuses what Asterisk cannot open: a redirect, an unknown extension, a WAV it has no codec for, a dead port', async () => {
    const app = express();
    app.get('/moved.wav', (_req, res) => res.redirect(302, '/speech.wav'));
    app.get('/speech.wav', (_req, res) => res.type('audio/wav').send(pcmWav(300)));
    app.get('/speech.mp3', (_req, res) => res.type('audio/mpeg').send(pcmWav(300)));
    app.get('/stereo.wav', (_req, res) => {
      const w = pcmWav(300);
      w.writeUInt16LE(2, 22);
      res.type('audio/wav').send(w);
    });
    const web = await serve(app);
    const dead = await serve(express());
    await dead.close();
    cleanup.push(() => web.close());
    for (const u of [`${web.url}/moved.wav`, `${web.url}/speech.mp3`, `${web.url}/stereo.wav`, `${dead.url}/speech.wav`]) {
      expect(await play([`sound:${u}`]), u).to.equal('failed');
    }
    expect(h.asterisk.mediaFetches.map((f) => [f.status, f.outcome])).to.deep.equal([
      [302, 'http-error'],
      [200, 'unknown-extension'],
      [200, 'not-audio'],
      [null, 'network-error'],
    ]);
    expect(await play([`sound:${web.url}/speech.wav`])).to.equal('done');
  });

  it('an unknown sound:dozvon/nope fails a few ms after PlaybackStarted', async () => {
    expect(await play(['sound:dozvon/nope'])).to.equal('failed');
    expect(h.asterisk.mediaOpened[0]).to.include({ uri: 'sound:dozvon/nope', ok: false });
    expect(h.asterisk.mediaOpened[0].reason).to.match(/not installed/);
    expect(h.asterisk.mediaFetches).to.have.length(0);
  });

  it('sound:dozvon/menu with lang ru plays sounds/ru/dozvon/menu.wav for its length; number: and digits: in ru and en', async () => {
    const ru = checkWav(readFileSync(path.resolve(__dirname, '../../../sounds/ru/dozvon/menu.wav')));
    const en = checkWav(readFileSync(path.resolve(__dirname, '../../../sounds/en/dozvon/menu.wav')));
    if (!ru.ok || !en.ok) throw new Error('the project prompts are not playable WAVs');
    expect(ru.durationMs).to.not.equal(en.durationMs); // so the next line proves the ru file was chosen
    expect(await play(['sound:dozvon/menu'], 'ru')).to.equal('done');
    expect(h.asterisk.mediaOpened[0]).to.include({ uri: 'sound:dozvon/menu', lang: 'ru', ok: true, durationMs: ru.durationMs });
    expect(await play(['number:42', 'digits:123456', 'sound:silence/1'], 'ru')).to.equal('done');
    expect(await play(['number:7', 'sound:dozvon/incident'], 'en')).to.equal('done');
    // No digits sounds in German: Asterisk has nothing to say the number with.
    expect(await play(['number:7'], 'de')).to.equal('failed');
  });

  it('a list skips a bad middle item as Asterisk 22.10 does (and goes on); only a bad last item fails it', async () => {
    // Seen on the project's Asterisk 22.10.1: every item gets PlaybackStarted, a non-last one ends
    // with PlaybackContinuing naming it, and an item that cannot be opened (missing sound, HTTP
    // 500, an HTML body) is skipped a few ms after its PlaybackStarted; the list still ends `done`.
    const web = await serve(express());
    cleanup.push(() => web.close());
    const bad = `sound:${web.url}/media/missing.wav`;
    expect(await play(['sound:dozvon/greeting', bad, 'sound:dozvon/menu'])).to.equal('done');
    expect(h.asterisk.mediaPlayed(leg.id)).to.deep.equal(['sound:dozvon/greeting', bad, 'sound:dozvon/menu']);
    expect(h.asterisk.mediaOpened.map((o) => [o.uri, o.ok])).to.deep.equal([
      ['sound:dozvon/greeting', true],
      [bad, false],
      ['sound:dozvon/menu', true],
    ]);
    const seq = h.asterisk.events
      .filter((e) => e.event.type.startsWith('Playback'))
      .map((e) => [e.event.type, e.event.playback.media_uri, e.event.playback.next_media_uri ?? null, e.event.playback.state]);
    expect(seq).to.deep.equal([
      ['PlaybackStarted', 'sound:dozvon/greeting', bad, 'playing'],
      ['PlaybackContinuing', 'sound:dozvon/greeting', bad, 'continuing'],
      ['PlaybackStarted', bad, 'sound:dozvon/menu', 'playing'],
      ['PlaybackContinuing', bad, 'sound:dozvon/menu', 'continuing'],
      ['PlaybackStarted', 'sound:dozvon/menu', null, 'playing'],
      ['PlaybackFinished', 'sound:dozvon/menu', null, 'done'],
    ]);
    // The skipped item took no time: its PlaybackContinuing follows its PlaybackStarted at once.
    const at = h.asterisk.events.filter((e) => e.event.type.startsWith('Playback')).map((e) => e.at);
    expect(at[3] - at[2]).to.be.below(100);

    expect(await play(['sound:dozvon/greeting', 'sound:dozvon/nope'])).to.equal('failed');
    expect(await play(['sound:dozvon/nope', 'sound:dozvon/greeting'])).to.equal('done');
  });

  it("GET /ari/sounds/{id} agrees with what plays, so dozvon's prompt probe sees the prompts installed", async () => {
    const auth = { Authorization: 'Basic ' + Buffer.from(`${h.asterisk.user}:${h.asterisk.password}`).toString('base64') };
    const get = (id: string) => fetch(`${h.asterisk.url}/ari/sounds/${encodeURIComponent(id)}`, { headers: auth });
    const greeting = await get('dozvon/greeting');
    expect(greeting.status).to.equal(200);
    expect(((await greeting.json()) as { formats: { language: string }[] }).formats.map((f) => f.language).sort()).to.deep.equal([
      'en',
      'ru',
    ]);
    expect((await get('digits/7')).status).to.equal(200);
    expect((await get('dozvon/nope')).status).to.equal(404);
    const probe = new SoundsProbe({ user: h.asterisk.user, password: h.asterisk.password, log: silentLogger() });
    expect(await probe.promptsInstalled(h.asterisk.url, 'ru')).to.equal(true);
    expect(await probe.promptsInstalled(h.asterisk.url, 'de')).to.equal(false);
  });

  it('a test can add a sounds folder, and mediaExists still makes one sound missing', async () => {
    await h.close();
    const root = mkdtempSync(path.join(tmpdir(), 'fake-sounds-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(path.join(root, 'en', 'tts'), { recursive: true });
    writeFileSync(path.join(root, 'en', 'tts', 'hello.wav'), pcmWav(800, 16000));
    const asterisk = await FakeAsterisk.start({ timeScale: 0.05, soundRoots: [root], mediaExists: (u) => u !== 'sound:dozvon/menu' });
    h = await makeHarness({ asterisk });
    asterisk.phone('1002').willAnswerAfter(0);
    leg = await h.dial('1002');
    await answered(leg);
    expect(statSync(path.join(root, 'en', 'tts', 'hello.wav')).size).to.equal(44 + 800 * 32);
    expect(await play(['sound:tts/hello'])).to.equal('done');
    expect(asterisk.mediaOpened[0]).to.include({ ok: true, durationMs: 800 });
    expect(await play(['sound:dozvon/menu'])).to.equal('failed');
  });
});
