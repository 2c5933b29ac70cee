/**
 * The audio thread's side: MP3 decoding and resampling, the CPU-heavy half of rendering speech
 * (about 10 ms per summary each), kept off the main thread where it would hold up the calls
 * being dialled. One job at a time, in arrival order; results go back as transferred buffers.
 */
import { parentPort } from 'node:worker_threads';
import { AudioConverter, type AudioFormat } from './convert';
import { Mp3Decoder } from './mp3';
import type { AudioJob, AudioReply } from './thread-protocol';

const decoder = new Mp3Decoder();
const converters = new Map<AudioFormat, AudioConverter>();

/** Transferable only when the samples own their whole buffer (the decoder may hand back a view). */
function owned(samples: Float32Array): Float32Array {
  return samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
}

type Done = Exclude<AudioReply, { ok: false }>;

async function run(job: AudioJob): Promise<Done> {
  if (job.kind === 'mp3') {
    const pcm = await decoder.decode(job.streams);
    return { id: job.id, ok: true, kind: 'pcm', samples: owned(pcm.samples), sampleRate: pcm.sampleRate };
  }
  let c = converters.get(job.format);
  if (!c) converters.set(job.format, (c = new AudioConverter(job.format)));
  const data = c.convert({ samples: job.samples, sampleRate: job.sampleRate });
  return { id: job.id, ok: true, kind: 'file', data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

parentPort!.on('message', (job: AudioJob) => {
  run(job).then(
    (reply) => parentPort!.postMessage(reply, [reply.kind === 'pcm' ? reply.samples.buffer : reply.data.buffer] as ArrayBuffer[]),
    (e: Error & { code?: string }) =>
      parentPort!.postMessage({ id: job.id, ok: false, code: e.code ?? 'tts-audio-failed', message: e.message } satisfies AudioReply),
  );
});
