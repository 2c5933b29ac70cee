/** The listening socket, opened last so that nothing is served before every part behind it runs. */
import { createServer, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Part } from './lifecycle';

/** Node's default (5 s) is shorter than the idle timeout of common proxies; they would reuse a closed socket. */
const KEEP_ALIVE_MS = 65_000;

export class HttpServer implements Part {
  readonly name = 'http server';
  private server: Server | null = null;

  constructor(
    /** The direct routes, then Express (compose/http.ts). */
    private readonly listener: RequestListener,
    private readonly listen: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer(this.listener);
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, () => resolve());
    });
    this.server = server;
  }

  address(): AddressInfo {
    if (!this.server) throw new Error('the server is not listening');
    return this.server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeIdleConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
