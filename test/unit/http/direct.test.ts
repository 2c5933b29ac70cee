/** Which requests the direct routes take before Express, and how an error in one is answered. */
import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directFirst, routePath, type DirectRoute } from '../../../src/http/direct';
import { silentLogger } from '../../../src/core/log';

describe('direct routes ahead of Express', () => {
  let server: Server;
  let port: number;
  const taken: string[] = [];
  const fellThrough: string[] = [];
  const route = (path: string, fail = false): DirectRoute => ({
    method: 'POST',
    path,
    handle: async (req: IncomingMessage, res: ServerResponse) => {
      taken.push(`${path} ${req.url}`);
      if (fail) throw new Error('broken handler');
      res.end('direct');
    },
  });
  before(async () => {
    const listener = directFirst(
      [route('/api/v1/make_call'), route('/broken', true)],
      (req, res) => {
        fellThrough.push(`${req.method} ${req.url}`);
        res.end('express');
      },
      { base: '/oncall', logger: silentLogger() },
    );
    server = createServer(listener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    taken.length = 0;
    fellThrough.length = 0;
  });
  const send = (method: string, path: string) =>
    fetch(`http://127.0.0.1:${port}${path}`, { method, body: method === 'POST' ? 'x' : undefined });

  it('takes its method and path, with or without the public prefix, a trailing slash or a query', async () => {
    for (const p of [
      '/api/v1/make_call',
      '/api/v1/make_call/',
      '/api/v1/make_call?a=1',
      '/oncall/api/v1/make_call',
      '/oncall/api/v1/make_call/?x',
    ])
      expect(await (await send('POST', p)).text()).to.equal('direct');
    expect(taken).to.have.length(5);
    expect(fellThrough).to.deep.equal([]);
  });

  it('leaves everything else to Express: other methods, case, longer or encoded paths, other prefixes', async () => {
    const others = [
      '/API/v1/make_call',
      '/api/v1/make_call/x',
      '/api/v1/make%5Fcall',
      '/other/api/v1/make_call',
      '/api/v1/make_call//',
      '/',
    ];
    for (const p of others) expect(await (await send('POST', p)).text()).to.equal('express');
    expect(await (await send('GET', '/api/v1/make_call')).text()).to.equal('express');
    expect(taken).to.deep.equal([]);
    expect(fellThrough).to.have.length(others.length + 1);
  });

  it('a handler that throws gets the last-resort 500 in JSON', async () => {
    const r = await send('POST', '/broken');
    expect(r.status).to.equal(500);
    expect(r.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(await r.json()).to.deep.equal({ detail: 'Internal error.' });
  });

  it('routePath: no query, one trailing slash dropped, the root kept', () => {
    expect(routePath('/a/b/?q=1')).to.equal('/a/b');
    expect(routePath('/')).to.equal('/');
    expect(routePath('/a//')).to.equal('/a/');
    expect(routePath(undefined)).to.equal('/');
  });
});
