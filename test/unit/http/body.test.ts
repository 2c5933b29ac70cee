import { expect } from 'chai';
import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { express } from '../../../src/http/express';
import { BodyOptions, jsonDepth, parseBody } from '../../../src/http/body';

/** An express app with one route that echoes what parseBody made of the body. */
async function echo(opts: BodyOptions): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.post('/echo', parseBody(opts), (req, res) => {
    res.json({
      body: req.body === undefined ? '<none>' : req.body,
      proto: req.body && typeof req.body === 'object' ? Object.getPrototypeOf(req.body) === null : null,
    });
  });
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json(): unknown;
}

/** POSTs exactly these bytes; `declare` overrides Content-Length (a client lying about its size). */
function post(port: number, body: string | Buffer, headers: Record<string, string>, declare?: number): Promise<Reply> {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/echo', headers: { 'content-length': String(declare ?? buf.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: () => JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(buf);
  });
}

describe('request bodies: parsed late and small', () => {
  let s: { port: number; close(): Promise<void> };
  afterEach(async () => s?.close());

  it('JSON and forms of the accepted types are parsed; other types are left unread', async () => {
    s = await echo({ accept: ['json', 'form'], limit: 1024 });
    expect((await post(s.port, '{"a":[1,{"b":"c"}]}', { 'content-type': 'application/json' })).json()).to.deep.include({
      body: { a: [1, { b: 'c' }] },
    });
    expect((await post(s.port, 'a=1&b=x+y&a=2', { 'content-type': 'application/x-www-form-urlencoded' })).json()).to.deep.equal({
      body: { a: ['1', '2'], b: 'x y' },
      proto: true,
    });
    expect((await post(s.port, 'a=1', { 'content-type': 'text/plain' })).json()).to.deep.include({ body: '<none>' });
  });

  it('too deep, too large, malformed, not UTF-8, compressed or another charset: 400, 413, 415, never 500', async () => {
    s = await echo({ accept: ['json', 'form'], limit: 1024, depth: 5, fields: 3 });
    const json = { 'content-type': 'application/json' };
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ['six levels', '[[[[[[1]]]]]]', json, 400],
      ['deep flood cut short by the limit', '['.repeat(5000), json, 413],
      ['malformed', '{"a": ', json, 400],
      ['not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), json, 400],
      ['a NUL escaped in a string', '{"a":"x\\u0000y"}', json, 400],
      ['a NUL in a key', '{"x\\u0000":1}', json, 400],
      ['gzip', gzipSync('{"a":1}'), { ...json, 'content-encoding': 'gzip' }, 415],
      ['a made-up encoding', '{"a":1}', { ...json, 'content-encoding': 'x-evil' }, 415],
      ['latin-1', '{"a":1}', { 'content-type': 'application/json; charset=latin1' }, 415],
      ['too many form fields', 'a=1&b=2&c=3&d=4', { 'content-type': 'application/x-www-form-urlencoded' }, 413],
      ['a NUL in a form value', 'a=%00', { 'content-type': 'application/x-www-form-urlencoded' }, 400],
    ];
    for (const [label, body, headers, status] of cases) {
      const r = await post(s.port, body, headers);
      expect(r.status, label).to.equal(status);
      expect(r.json(), label).to.have.property('detail');
    }
  });

  it('a declared length over the limit is refused before the body is read, and the connection closed', async () => {
    s = await echo({ accept: ['json'], limit: 1024 });
    const r = await post(s.port, '[', { 'content-type': 'application/json' }, 1_000_000_000);
    expect(r.status).to.equal(413);
    expect(r.headers.connection).to.equal('close');
  });

  it('depth 32 passes by default, strings hide brackets, "__proto__" stays a plain key', async () => {
    s = await echo({ accept: ['json'], limit: 64 * 1024 });
    const ok = await post(s.port, `${'['.repeat(32)}${']'.repeat(32)}`, { 'content-type': 'application/json' });
    expect(ok.status).to.equal(200);
    expect((await post(s.port, `${'['.repeat(33)}${']'.repeat(33)}`, { 'content-type': 'application/json' })).status).to.equal(400);
    const proto = await post(s.port, '{"__proto__":{"polluted":true},"s":"[[[[\\"{{"}', { 'content-type': 'application/json' });
    expect(proto.json()).to.deep.equal({ body: { ['__proto__']: { polluted: true }, s: '[[[["{{' }, proto: false });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(jsonDepth('"[[[" [1, "]]]", {"a": ["\\"["]}]', 10)).to.equal(3);
  });

  it('nul: "strip" drops NULs (text OnCall relays), nul: "field" leaves them to field validation', async () => {
    s = await echo({ accept: ['json'], limit: 1024, nul: 'strip' });
    expect((await post(s.port, '{"title":"a\\u0000b"}', { 'content-type': 'application/json' })).json()).to.deep.include({
      body: { title: 'ab' },
    });
    await s.close();
    s = await echo({ accept: ['form'], limit: 1024, nul: 'field' });
    expect((await post(s.port, 'message=a%00b', { 'content-type': 'application/x-www-form-urlencoded' })).json()).to.deep.include({
      body: { message: 'a\u0000b' },
    });
  });
});
