import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../src/core/log';
import { AudioConverter } from '../../../src/tts/audio/convert';
import { DEFAULT_PIN_TTL_MS, RenderCache } from '../../../src/tts/cache';
import { createRenderCache, RenderedTts } from '../../../src/tts/rendered';
import { FileMediaStore } from '../../../src/tts/store';
import type { Lang, Pcm, Synthesizer } from '../../../src/tts/types';

/** Evictions delete their file in the background: the test waits for those deletions, not a guess of their time. */
class SettledStore extends FileMediaStore {
  private removals: Promise<void>[] = [];
  override remove(file: string): Promise<void> {
    const p = super.remove(file);
    this.removals.push(p);
    return p;
  }
  async settled(): Promise<void> {
    while (this.removals.length) await Promise.all(this.removals.splice(0));
  }
}

/** Counts calls and lets the test decide when synthesis finishes. */
class FakeSynthesizer implements Synthesizer {
  readonly engine = 'espeak' as const;
  calls: string[] = [];
  gate: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  voice(lang: Lang): string {
    return `fake-${lang}`;
  }
  /** Resolves once synthesis has started `n` times in all. */
  async entered(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
  }
  async synthesize(text: string): Promise<Pcm> {
    this.calls.push(text);
    for (const w of this.waiters.splice(0)) w();
    await this.gate;
    return { samples: new Float32Array(16000).fill(0.1), sampleRate: 16000 };
  }
  async health() {
    return { ok: true };
  }
}

describe('tts cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'dozvon-tts-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function make(limits: { maxBytes?: number; maxEntries?: number; pinTtlMs?: number } = {}, delivery: 'http' | 'dir' = 'http') {
    const synth = new FakeSynthesizer();
    const store = new SettledStore({ dir, delivery, publicUrl: 'http://dozvon.test:8080/' });
    const tts = new RenderedTts({
      synth,
      store,
      converter: new AudioConverter('wav8'),
      logger: silentLogger(),
      cache: createRenderCache(store, silentLogger(), limits),
    });
    return { synth, store, tts };
  }
  const mediaFiles = () => readdirSync(dir).filter((f) => f.endsWith('.wav'));

  it('renders once, then answers from the cache without synthesizing', async () => {
    const { synth, tts } = make();
    const first = await tts.render('Disk full on db-01', 'en');
    expect(first.cached).to.equal(false);
    expect(first.media).to.have.length(1);
    expect(first.media[0]).to.match(/^sound:http:\/\/dozvon\.test:8080\/media\/[A-Za-z0-9_-]{32}\.wav$/);
    const again = await tts.render('Disk  full on db-01', 'en'); // same after normalisation
    expect({ ...again, release: undefined }).to.deep.equal({ ...first, release: undefined, cached: true });
    expect(again.release).to.be.a('function');
    expect(synth.calls).to.have.length(1);
    const ru = await tts.render('Disk full on db-01', 'ru');
    expect(ru.media[0]).to.not.equal(first.media[0]);
    expect(synth.calls).to.have.length(2);
  });

  it('renders once for concurrent requests of the same text', async () => {
    const { synth, tts } = make();
    let open!: () => void;
    synth.gate = new Promise((r) => (open = r));
    const all = Promise.all([1, 2, 3, 4, 5].map(() => tts.render('same text', 'en')));
    await synth.entered(1); // the other four joined before the first render reached the engine
    open();
    const results = await all;
    expect(synth.calls).to.have.length(1);
    expect(new Set(results.map((r) => r.media[0])).size).to.equal(1);
    expect(results.filter((r) => !r.cached)).to.have.length(1);
    expect(mediaFiles()).to.have.length(1);
  });

  it('evicts the least recently used file, from memory and disk', async () => {
    const { synth, store, tts } = make({ maxEntries: 2 });
    // Released at once: nothing queued holds these files.
    const say = async (text: string) => {
      const s = await tts.render(text, 'en');
      s.release?.();
      return s;
    };
    const a = await say('alpha');
    await say('beta');
    await say('alpha'); // alpha is now the most recent
    await say('gamma'); // beta goes
    await store.settled();
    expect(mediaFiles()).to.have.length(2);
    expect(tts.cache.size.entries).to.equal(2);
    expect((await say('alpha')).cached).to.equal(true);
    expect((await say('beta')).cached).to.equal(false);
    expect(synth.calls).to.deep.equal(['alpha', 'beta', 'gamma', 'beta']);
    expect(a.media[0]).to.be.a('string');
  });

  it('never evicts a file pinned for a queued call until it is released', async () => {
    const { synth, store, tts } = make({ maxEntries: 1 });
    const queued = await tts.render('page for alice', 'en'); // held, as a queued notification holds it
    const file = queued.media[0].split('/').pop()!;
    for (const text of ['one', 'two', 'three', 'four']) (await tts.render(text, 'en')).release?.();
    await store.settled();
    expect(mediaFiles()).to.include(file);
    expect(tts.cache.has(file)).to.equal(true);
    expect(mediaFiles()).to.have.length(1); // the budget is 1: the others came and went around it
    queued.release?.();
    queued.release?.(); // twice is harmless
    await tts.render('five', 'en');
    await store.settled();
    expect(mediaFiles()).to.not.include(file); // unpinned, it is the least recently used again
    expect(mediaFiles()).to.have.length(1);
    expect((await tts.render('page for alice', 'en')).cached).to.equal(false);
    expect(synth.calls.filter((t) => t === 'page for alice')).to.have.length(2);
  });

  it('pins before rendering, so a render finishing meanwhile cannot evict the new file', async () => {
    const { synth, store, tts } = make({ maxEntries: 1 });
    let open!: () => void;
    synth.gate = new Promise((r) => (open = r));
    const slow = tts.render('slow', 'en');
    await synth.entered(1);
    open();
    const fast = tts.render('fast', 'en');
    const [s, f] = await Promise.all([slow, fast]);
    await store.settled();
    for (const x of [s, f]) expect(mediaFiles()).to.include(x.media[0].split('/').pop());
  });

  it('lets a pin lapse after its TTL (default 1 hour)', () => {
    let now = 1_000_000;
    const evicted: string[] = [];
    const cache = new RenderCache({ maxBytes: 1000, maxEntries: 1, onEvict: (f) => evicted.push(f), now: () => now });
    const lease = cache.pin('a');
    cache.add('a', 10);
    cache.add('b', 10);
    expect(evicted).to.deep.equal([]);
    now += DEFAULT_PIN_TTL_MS - 1;
    expect(cache.pinned('a')).to.equal(true);
    cache.add('c', 10); // b goes, a is still held
    expect(evicted).to.deep.equal(['b']);
    now += 1;
    expect(cache.pinned('a')).to.equal(false);
    cache.add('d', 10);
    expect(evicted).to.deep.equal(['b', 'a', 'c']);
    lease.release(); // after expiry: nothing left to do, nothing breaks
    const short = cache.pin('d', 50);
    cache.add('e', 10);
    expect(evicted).to.deep.equal(['b', 'a', 'c']);
    now += 50;
    cache.add('f', 10);
    expect(evicted).to.deep.equal(['b', 'a', 'c', 'd', 'e']);
    short.release();
  });

  it('a failed render releases its pin', async () => {
    const { synth, tts } = make({ maxEntries: 1 });
    synth.gate = Promise.reject(new Error('engine down'));
    synth.gate.catch(() => undefined);
    const err = await tts.render('doomed', 'en').catch((e: Error) => e);
    expect((err as Error).message).to.equal('engine down');
    const file = tts.fileFor('doomed', 'en').file;
    expect(tts.cache.pinned(file)).to.equal(false);
  });

  it('keeps the byte budget', () => {
    const evicted: string[] = [];
    const cache = new RenderCache({ maxBytes: 100, maxEntries: 100, onEvict: (f) => evicted.push(f) });
    cache.add('a', 40);
    cache.add('b', 40);
    cache.add('c', 40);
    expect(evicted).to.deep.equal(['a']);
    expect(cache.size).to.deep.equal({ entries: 2, bytes: 80 });
  });

  it('survives a restart: files on disk are hits, names stay the same and unguessable', async () => {
    const one = make();
    const first = await one.tts.render('persisted', 'en');
    const two = make();
    const again = await two.tts.render('persisted', 'en');
    expect(again.media).to.deep.equal(first.media);
    expect(again.cached).to.equal(true);
    expect(two.synth.calls).to.have.length(0);
    // A different secret (another install) gives a different name for the same text.
    rmSync(dir, { recursive: true, force: true });
    const three = make();
    expect((await three.tts.render('persisted', 'en')).media[0]).to.not.equal(first.media[0]);
  });

  it('dir delivery plays the file by name from the mounted directory', async () => {
    const { tts } = make({}, 'dir');
    const s = await tts.render('hello', 'en');
    expect(s.media[0]).to.match(/^sound:dozvon-tts\/[A-Za-z0-9_-]{32}$/);
    expect(mediaFiles()).to.have.length(1);
  });

  it('refuses text that is empty after normalisation', async () => {
    const { tts } = make();
    try {
      await tts.render(':fire: https://example.com', 'en');
      expect.fail('should throw');
    } catch (e) {
      expect((e as { code: string }).code).to.equal('tts-empty');
    }
  });
});
