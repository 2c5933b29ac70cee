/**
 * A request refused before its body was read must not keep the server reading that body: the
 * answer closes the connection, so a client announcing gigabytes is cut off after its refusal.
 */
import { expect } from 'chai';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { createHttpApp } from '../../../src/http/server';
import { Router } from '../../../src/http/express';
import { silentLogger } from '../../../src/core/log';
import { BODY_LIMITS, parseBody } from '../../../src/http/body';

const TWO_GB = 2 * 1024 ** 3;

interface Exchange {
  head: string;
  /** Resolves when the server ends the connection. */
  ended: Promise<void>;
  sock: Socket;
}

/** Sends the head and `sent` bytes (or `body`) of a body announced as `declared` bytes; resolves with the answer's head. */
function exchange(port: number, path: string, declared: number, sent: number, body?: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let text = '';
    const ended = new Promise<void>((r) => sock.once('end', () => r()));
    sock.on('error', reject);
    sock.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) resolve({ head: text.slice(0, end), ended, sock });
    });
    sock.write(`POST ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
    sock.write(body ?? Buffer.alloc(sent, 0x5b));
  });
}

describe('answers sent before the request body was read', () => {
  let server: Server;
  let port: number;

  before(async () => {
    const r = Router();
    r.post('/locked', (_req, res) => void res.status(401).json({ error: 'unauthorized' }));
    r.post('/read', parseBody(BODY_LIMITS.admin), (_req, res) => void res.json({ ok: true }));
    const app = createHttpApp({ logger: silentLogger(), mounts: [{ path: '/', router: r }] });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  for (const [what, path, status] of [
    ['a refusal (401)', '/locked', 401],
    ['an unknown path (404)', '/nowhere', 404],
  ] as const) {
    it(`${what} to a 2 GB body of which 4 KB came: Connection: close, and the server ends the socket without the rest`, async () => {
      const x = await exchange(port, path, TWO_GB, 4096);
      expect(x.head.split('\r\n')[0]).to.equal(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}`);
      expect(x.head.toLowerCase()).to.include('connection: close');
      // The client sends nothing more: the server ends the connection itself instead of waiting for 2 GB.
      await x.ended;
      x.sock.destroy();
    });
  }

  it('a body that was read, or no body at all, keeps the connection alive', async () => {
    const body = '{"a":1}';
    const read = await exchange(port, '/read', body.length, 0, body);
    expect(read.head.split('\r\n')[0]).to.equal('HTTP/1.1 200 OK');
    const none = await exchange(port, '/nowhere', 0, 0);
    for (const x of [read, none]) {
      expect(x.head.toLowerCase()).to.include('connection: keep-alive');
      x.sock.destroy();
    }
  });
});
