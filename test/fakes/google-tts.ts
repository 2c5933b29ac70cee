/**
 * A Google Translate TTS stand-in on loopback, speaking the batchexecute protocol that
 * google-tts-api uses: POST /_/TranslateWebserverUi/data/batchexecute with
 * f.req=[[["jQ1olc","[text,lang,slow,\"null\"]",null,"generic"]]], answered with
 * )]}'\n\n[["wrb.fr","jQ1olc","[\"<base64 mp3>\"]",…]]. Answers real MP3 bytes (fixtures).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export const BATCH_PATH = '/_/TranslateWebserverUi/data/batchexecute';
const FIXTURES = path.resolve(__dirname, '../fixtures/tts');

export interface GoogleTtsRequest {
  text: string;
  lang: string;
  slow: boolean;
  status: number;
}

export class FakeGoogleTts {
  /** Every request, in arrival order. */
  readonly requests: GoogleTtsRequest[] = [];
  /** Delay before answering each request. */
  latencyMs = 0;
  /** When set, answer one fixture clip (3.3 s) per this many characters, so audio length follows text length like Google's. */
  charsPerClip: number | null = null;
  /** Languages the fake knows; others get Google's "null result" answer. */
  readonly audio = new Map<string, Buffer>([
    ['en', readFileSync(path.join(FIXTURES, 'speech-en.mp3'))],
    ['ru', readFileSync(path.join(FIXTURES, 'speech-ru.mp3'))],
  ]);
  private failures: number[] = [];
  private server: Server | null = null;
  private inFlight = 0;
  /** Highest number of requests being answered at the same moment. */
  maxConcurrent = 0;

  /** The next n requests answer with this status (429, 500…) instead of audio. */
  fail(status: number, n = 1): this {
    for (let i = 0; i < n; i++) this.failures.push(status);
    return this;
  }

  /** Every request fails with this status until reset() (an outage). */
  failAlways(status: number): this {
    this.failures = new Array(1_000_000).fill(status);
    return this;
  }

  reset(): void {
    this.failures = [];
    this.latencyMs = 0;
    this.requests.length = 0;
    this.maxConcurrent = 0;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('FakeGoogleTts not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        res.statusCode = 500;
        res.end(`fake failed: ${e.message}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== BATCH_PATH) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const [text, lang, slow] = parseFreq(body);
    this.inFlight++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      const status = this.failures.shift() ?? 200;
      this.requests.push({ text, lang, slow, status });
      if (status !== 200) {
        res.statusCode = status;
        res.setHeader('Content-Type', 'text/html');
        res.end(status === 429 ? '<html>Too Many Requests</html>' : '<html>Server Error</html>');
        return;
      }
      const clip = this.audio.get(lang);
      const mp3 =
        clip && this.charsPerClip ? Buffer.concat(new Array(Math.max(1, Math.ceil(text.length / this.charsPerClip))).fill(clip)) : clip;
      const payload = mp3 ? JSON.stringify([mp3.toString('base64')]) : null;
      const envelope = [
        ['wrb.fr', 'jQ1olc', payload, null, null, mp3 ? null : [3], 'generic'],
        ['di', 42],
        ['af.httprm', 41, '-4211198410373957066', 7],
      ];
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(`)]}'\n\n${JSON.stringify(envelope)}`);
    } finally {
      this.inFlight--;
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** f.req=[[["jQ1olc","[\"text\",\"en\",null,\"null\"]",null,"generic"]]] → [text, lang, slow]. */
function parseFreq(body: string): [string, string, boolean] {
  const freq = new URLSearchParams(body).get('f.req');
  if (!freq) throw new Error('request without f.req');
  const outer = JSON.parse(freq) as [[[string, string, null, string]]];
  const [rpc, args] = outer[0][0];
  if (rpc !== 'jQ1olc') throw new Error(`unexpected rpc ${rpc}`);
  const [text, lang, slow] = JSON.parse(args) as [string, string, boolean | null];
  return [text, lang, slow === true];
}
