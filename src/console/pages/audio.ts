/**
 * The WAV behind a Listen button. Built on request from the attempt's record (nothing new is
 * stored); single byte ranges are answered, so a browser can seek in it.
 */
import type { Request, Response } from '../../http/express';
import type { ListenAudio } from '../../listen';

export function sendWav(req: Request, res: Response, audio: ListenAudio, filename: string): void {
  const total = audio.wav.length;
  res.set({
    'Content-Type': 'audio/wav',
    'Content-Disposition': `inline; filename="${filename}"`,
    // The same attempt always rebuilds the same audio (until the speech cache drops a file).
    'Cache-Control': 'private, max-age=300',
    'Accept-Ranges': 'bytes',
  });
  const range = byteRange(req.get('range'), total);
  if (range === 'unsatisfiable') {
    res.status(416).set('Content-Range', `bytes */${total}`).end();
    return;
  }
  if (range) {
    res.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${total}`);
    res.send(audio.wav.subarray(range.start, range.end + 1));
    return;
  }
  res.status(200).send(audio.wav);
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else is answered whole. */
export function byteRange(header: string | undefined, total: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, total - Number(m[2]));
    end = total - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1);
  }
  if (start >= total || end < start) return 'unsatisfiable';
  return { start, end };
}
