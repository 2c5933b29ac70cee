/**
 * Which audio the fake agrees to play, and for how long. Asterisk picks the format module by the
 * file's extension and then reads the file with it: a WAV whose header it cannot use, or a body
 * that is not audio at all, does not play. The fake checks the same things so that a media route
 * answering JSON, HTML or a broken file fails the playback here as it does on a real call.
 */

export type AudioCheck = { ok: true; durationMs: number } | { ok: false; reason: string };

/** Bytes of audio per second for the raw (headerless) formats Asterisk names by extension. */
const RAW_BYTES_PER_SEC: Record<string, number> = {
  sln: 16000, // signed linear 16-bit, 8 kHz
  sln16: 32000, // signed linear 16-bit, 16 kHz
  ulaw: 8000,
  alaw: 8000,
  g722: 8000, // 16 kHz audio in 64 kbit/s
};

/** Extensions the fake can open. `gsm` is frames of 33 bytes per 20 ms. */
export const KNOWN_EXTENSIONS = ['wav', 'sln16', 'sln', 'gsm', 'ulaw', 'alaw', 'g722'] as const;

export function isKnownExtension(ext: string): boolean {
  return (KNOWN_EXTENSIONS as readonly string[]).includes(ext);
}

/** Duration of `data` read as a file with extension `ext` (no dot), or why Asterisk would not play it. */
export function checkAudio(ext: string, data: Buffer): AudioCheck {
  if (ext === 'wav') return checkWav(data);
  if (ext === 'gsm') {
    if (data.length === 0 || data.length % 33 !== 0)
      return { ok: false, reason: `gsm: ${data.length} bytes is not a whole number of 33-byte frames` };
    return { ok: true, durationMs: (data.length / 33) * 20 };
  }
  const rate = RAW_BYTES_PER_SEC[ext];
  if (rate === undefined) return { ok: false, reason: `no format for extension .${ext}` };
  if (data.length === 0) return { ok: false, reason: `.${ext}: empty file` };
  return { ok: true, durationMs: (data.length / rate) * 1000 };
}

/**
 * RIFF/WAVE as Asterisk's wav format reads it: PCM (format 1), mono, 16-bit, 8000 or 16000 Hz.
 * Chunks other than `fmt ` and `data` are skipped; a `data` size past the end of the file (a
 * streaming writer's placeholder) counts only the bytes present.
 */
export function checkWav(data: Buffer): AudioCheck {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WAVE') {
    return { ok: false, reason: `not a RIFF/WAVE file (starts with ${JSON.stringify(data.subarray(0, 16).toString('latin1'))})` };
  }
  let rate = 0;
  for (let off = 12; off + 8 <= data.length;) {
    const id = data.toString('latin1', off, off + 4);
    const size = data.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > data.length) return { ok: false, reason: 'wav: truncated fmt chunk' };
      const tag = data.readUInt16LE(body);
      const channels = data.readUInt16LE(body + 2);
      rate = data.readUInt32LE(body + 4);
      const bits = data.readUInt16LE(body + 14);
      if (tag !== 1) return { ok: false, reason: `wav: format ${tag} is not PCM` };
      if (channels !== 1) return { ok: false, reason: `wav: ${channels} channels, Asterisk plays mono only` };
      if (bits !== 16) return { ok: false, reason: `wav: ${bits}-bit samples, Asterisk plays 16-bit only` };
      if (rate !== 8000 && rate !== 16000) return { ok: false, reason: `wav: ${rate} Hz, Asterisk plays 8000 or 16000 Hz only` };
    } else if (id === 'data') {
      if (!rate) return { ok: false, reason: 'wav: data chunk before any fmt chunk' };
      const bytes = Math.min(size, data.length - body);
      return { ok: true, durationMs: (bytes / 2 / rate) * 1000 };
    }
    off = body + size + (size & 1); // chunks are padded to an even size
  }
  return { ok: false, reason: rate ? 'wav: no data chunk' : 'wav: no fmt chunk' };
}

/** "x.wav" → "wav"; "" when the last path segment has no extension. */
export function extensionOf(pathname: string): string {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
}
