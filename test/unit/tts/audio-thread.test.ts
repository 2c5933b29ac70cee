import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Mp3Decoder } from '../../../src/tts/audio/mp3';
import { InlineAudio, ThreadedAudio } from '../../../src/tts/audio/thread';
import { silentLogger } from '../../../src/core/log';

const FIX = path.resolve(__dirname, '../../fixtures/tts');
const meta = JSON.parse(readFileSync(path.join(FIX, 'speech.json'), 'utf8')) as Record<string, { file: string }>;
const mp3 = () => new Uint8Array(readFileSync(path.join(FIX, meta.en.file)));

const originalDecode = Mp3Decoder.prototype.decode;

describe('tts audio thread', function () {
  // The first job starts the thread (and, under tsx, compiles its entry).
  this.timeout(30_000);
  const open: ThreadedAudio[] = [];
  const threaded = (timeoutMs?: number) => {
    const a = new ThreadedAudio('wav8', silentLogger(), timeoutMs);
    open.push(a);
    return a;
  };
  afterEach(async () => {
    Mp3Decoder.prototype.decode = originalDecode;
    await Promise.all(open.splice(0).map((a) => a.close()));
  });

  it('decodes and converts to the same bytes as the inline path, without decoding on the calling thread', async () => {
    const inline = new InlineAudio('wav8');
    const want = await inline.convert(await inline.decodeMp3([mp3(), mp3()]));
    await inline.close();
    // A decode on this thread would go through this prototype; the thread has its own copy of the module.
    let decodedHere = 0;
    Mp3Decoder.prototype.decode = function (streams) {
      decodedHere++;
      return originalDecode.call(this, streams);
    };
    const audio = threaded();
    const pcm = await audio.decodeMp3([mp3(), mp3()]);
    expect(pcm.sampleRate).to.equal(24000);
    const got = await audio.convert(pcm);
    expect(decodedHere).to.equal(0);
    expect(Buffer.compare(got, want)).to.equal(0);
  });

  it('keeps jobs apart when many run at once', async () => {
    const audio = threaded();
    const one = await audio.decodeMp3([mp3()]);
    const results = await Promise.all([1, 2, 3, 1, 2].map((n) => audio.decodeMp3(Array.from({ length: n }, mp3))));
    expect(results.map((r) => r.samples.length / one.samples.length)).to.deep.equal([1, 2, 3, 1, 2]);
  });

  it('converts samples that are a view into a larger buffer (copied, not handed over)', async () => {
    const audio = threaded();
    const big = new Float32Array(48_000).fill(0.25);
    const view = big.subarray(24_000);
    const wav = await audio.convert({ samples: view, sampleRate: 24_000 });
    expect(wav.length).to.equal(44 + 2 * 8000);
    expect(big.length).to.equal(48_000); // still usable: nothing was detached
  });

  it('fails a job the thread does not finish in time as temporary, so speech falls back to the next engine', async () => {
    const audio = threaded(1);
    const err = await audio.decodeMp3([mp3()]).then(
      () => null,
      (e: Error & { code?: string; temporary?: boolean }) => e,
    );
    expect(err?.code).to.equal('tts-audio-timeout');
    expect(err?.temporary).to.equal(true);
  });

  it('reports a stream that is not MP3 as the thread saw it', async () => {
    const audio = threaded();
    const err = await audio.decodeMp3([Uint8Array.from([1, 2, 3, 4])]).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).to.equal('tts-bad-mp3');
    expect(err?.message).to.match(/^audio thread: MP3 decoding produced no audio/);
  });

  it('keeps the process alive while a job is in flight, and not once the thread is idle', () => {
    // A CLI command that renders and then returns must neither exit mid-render nor hang after it.
    const script = `
      const { ThreadedAudio } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/tts/audio/thread'))});
      const { silentLogger } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/log'))});
      const mp3 = new Uint8Array(require('node:fs').readFileSync(${JSON.stringify(path.join(FIX, meta.en.file))}));
      new ThreadedAudio('wav8', silentLogger()).decodeMp3([mp3]).then((p) => console.log('decoded ' + p.samples.length));`;
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { timeout: 20_000, encoding: 'utf8' });
    expect(r.error, 'the process exited by itself').to.equal(undefined);
    expect(r.stdout).to.match(/^decoded \d+/);
  });
});
