/**
 * Real audio for tests whose speech is faked: the strict fake plays only what exists, so a fake TTS
 * that names a sound must also put a file there. A FakeSoundsDir is a temporary folder laid out like
 * Asterisk's sounds directory; give its `root` to `FakeAsterisk.start({ soundRoots: [root] })`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A 16-bit mono PCM WAV of silence, `ms` long: the format Asterisk's wav module plays. */
export function pcmWav(ms: number, rate: 8000 | 16000 = 8000): Buffer {
  const data = Buffer.alloc(Math.round((ms / 1000) * rate) * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

export class FakeSoundsDir {
  readonly root = mkdtempSync(path.join(tmpdir(), 'dozvon-fake-sounds-'));

  /** Writes `<root>/<lang>/<name>.wav`, so `sound:<name>` plays for `ms` with that `lang`. */
  add(name: string, opts: { lang?: string; ms?: number } = {}): string {
    const file = path.join(this.root, opts.lang ?? 'en', `${name}.wav`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, pcmWav(opts.ms ?? 1000));
    return `sound:${name}`;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
