/** Messages between the main thread and the audio thread (structured clone, buffers transferred). */
import type { AudioFormat } from './convert';

export type AudioJob =
  | { id: number; kind: 'mp3'; streams: Uint8Array[] }
  | { id: number; kind: 'convert'; samples: Float32Array; sampleRate: number; format: AudioFormat };

export type AudioReply =
  | { id: number; ok: true; kind: 'pcm'; samples: Float32Array; sampleRate: number }
  | { id: number; ok: true; kind: 'file'; data: Uint8Array }
  | { id: number; ok: false; code: string; message: string };
