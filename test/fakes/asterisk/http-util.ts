/** HTTP plumbing of the fake: ARI auth (Basic or `api_key=user:pass`, Basic wins) and replies. */
import type http from 'node:http';
import type { Reply } from './rest';

export function authorized(req: http.IncomingMessage, url: URL, user: string, password: string): boolean {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return false;
    return Buffer.from(m[1], 'base64').toString('utf8') === `${user}:${password}`;
  }
  const key = url.searchParams.get('api_key');
  return key !== null && key === `${user}:${password}`;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendHttp(res: http.ServerResponse, reply: Reply): void {
  if (reply.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Asterisk REST Interface"');
  if (reply.raw) {
    res.writeHead(reply.status, { 'Content-Type': reply.raw.type, 'Content-Length': reply.raw.data.length });
    res.end(reply.raw.data);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
