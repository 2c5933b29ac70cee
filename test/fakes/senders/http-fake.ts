/**
 * A tiny real HTTP server on 127.0.0.1 for the sender fakes: records every request and
 * answers from a script of queued failures, else from the fake's own handler.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Answer = Scripted | 'hang';

export class HttpFake {
  readonly requests: RecordedRequest[] = [];
  private readonly script: Answer[] = [];
  private server: Server | null = null;
  private readonly hung: ServerResponse[] = [];
  url = '';

  constructor(private readonly handler: (req: RecordedRequest) => Scripted) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next answers, in order, before the normal handler takes over again; 'hang' never answers. */
  queue(...answers: Answer[]): this {
    this.script.push(...answers);
    return this;
  }

  async close(): Promise<void> {
    for (const r of this.hung) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url ?? '/', 'http://x');
      let json: unknown = null;
      try {
        json = body ? JSON.parse(body) : null;
      } catch {
        json = null;
      }
      const rec: RecordedRequest = { method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body, json };
      this.requests.push(rec);
      const answer = this.script.shift() ?? this.handler(rec);
      if (answer === 'hang') return void this.hung.push(res);
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'Content-Type': typeof answer.body === 'string' ? 'text/plain' : 'application/json',
        ...answer.headers,
      });
      res.end(text);
    });
  }
}
