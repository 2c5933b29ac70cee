/**
 * Sends a request byte for byte over a TCP socket, as OnCall's python-requests engine does
 * (header case such as `AUTHORIZATION`, form bodies, unencoded `+` in query strings).
 */
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json(): unknown;
}

export function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.setTimeout(5000, () => sock.destroy(new Error('raw request timed out')));
    sock.on('data', (c) => {
      chunks.push(c);
      const parsed = tryParse(Buffer.concat(chunks).toString('utf8'));
      if (parsed) {
        sock.end();
        resolve(parsed);
      }
    });
    sock.on('error', reject);
    sock.write(request);
  });
}

function tryParse(text: string): RawResponse | null {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return null;
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = text.slice(split + 4);
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : 0;
  if (Buffer.byteLength(body) < len) return null;
  return { status: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body) };
}

/** A request as python-requests 2.32.4 writes it (the version OnCall's engine pins). */
export function pyRequest(
  method: string,
  path: string,
  opts: { token?: string; authHeader?: string; body?: string; contentType?: string } = {},
): string {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    'Host: standin:8080',
    'User-Agent: python-requests/2.32.4',
    'Accept-Encoding: gzip, deflate',
    'Accept: */*',
    'Connection: keep-alive',
  ];
  if (opts.token !== undefined) lines.push(`${opts.authHeader ?? 'Authorization'}: ${opts.token}`);
  if (opts.body !== undefined) {
    lines.push(`Content-Length: ${Buffer.byteLength(opts.body)}`);
    lines.push(`Content-Type: ${opts.contentType ?? 'application/x-www-form-urlencoded'}`);
  }
  return lines.join('\r\n') + '\r\n\r\n' + (opts.body ?? '');
}
