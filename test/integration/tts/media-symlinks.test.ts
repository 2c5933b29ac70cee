/**
 * DOZVON_TTS_DIR is shared with Asterisk in `dir` mode: anyone who can write there can leave a
 * symlink under a media file's name. /media serves, and Listen reads, only files whose real path
 * is inside the folder: a link pointing out of it (or at the store's naming key) is "not found".
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileMediaStore } from '../../../src/tts/store';
import { createMediaRouter } from '../../../src/tts/router';
import { createHttpApp } from '../../../src/http/server';
import { silentLogger } from '../../../src/core/log';
import { planListen } from '../../../src/listen';
import { encodeWav } from '../../../src/tts/audio/wav';

const OWN = `${'A'.repeat(32)}.wav`;
const OUT = `${'B'.repeat(32)}.wav`;
const KEY_LINK = `${'C'.repeat(32)}.wav`;
const INSIDE_LINK = `${'D'.repeat(32)}.wav`;
const DIR_LINK = `${'E'.repeat(32)}.wav`;

describe('symlinks in the speech folder are not followed out of it', () => {
  let dir: string;
  let tts: string;
  let server: Server;
  let url: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dozvon-symlinks-'));
    tts = path.join(dir, 'tts');
    mkdirSync(tts);
    const store = new FileMediaStore({ dir: tts, delivery: 'http', publicUrl: 'http://dozvon.test:8080/' });
    await store.init();
    const wav = encodeWav(new Int16Array(800), 8000);
    writeFileSync(path.join(tts, OWN), wav);
    // Readable by the process, outside the folder: a WAV, so only the check can stop it.
    writeFileSync(path.join(dir, 'secret.wav'), wav);
    symlinkSync(path.join(dir, 'secret.wav'), path.join(tts, OUT));
    symlinkSync(path.join(tts, '.dozvon-media-key'), path.join(tts, KEY_LINK));
    symlinkSync(path.join(tts, OWN), path.join(tts, INSIDE_LINK));
    symlinkSync(dir, path.join(tts, DIR_LINK));
    const app = createHttpApp({ logger: silentLogger(), mounts: [{ path: '/', router: createMediaRouter(store) }] });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('/media: 200 for a file in the folder (or a link to one), 404 for links out of it, to the key or to a folder', async () => {
    expect((await fetch(`${url}/media/${OWN}`)).status).to.equal(200);
    expect((await fetch(`${url}/media/${INSIDE_LINK}`)).status).to.equal(200);
    for (const f of [OUT, KEY_LINK, DIR_LINK]) {
      const r = await fetch(`${url}/media/${f}`);
      expect(r.status, f).to.equal(404);
      expect(await r.json(), f).to.deep.equal({ error: 'not-found', message: 'no such media' });
    }
  });

  it('Listen: a link out of the folder is missing, not played', async () => {
    const roots = { ttsDir: tts, soundsRoot: path.join(dir, 'sounds'), publicUrl: 'http://dozvon.test:8080/' };
    const media = (f: string) => `sound:http://dozvon.test:8080/media/${f}`;
    const plan = await planListen(
      [{ media: [media(OWN), media(OUT), media(KEY_LINK), media(INSIDE_LINK), media(DIR_LINK)], lang: 'en' }],
      roots,
    );
    expect(plan.parts.map((p) => p.status)).to.deep.equal(['ok', 'missing', 'missing', 'ok', 'missing']);
    expect(plan.parts[3].file?.path).to.equal(path.join(tts, OWN));
  });
});
