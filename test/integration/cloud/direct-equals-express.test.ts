/**
 * make_call and send_sms are answered by direct routes ahead of Express (http/direct.ts). Each
 * request here goes once to the server as it runs (direct routes first) and once to the same
 * app's Express alone: status, body and the headers a client reads must be the same, whatever
 * is wrong with the request. The failure count behind the 429 is one for both.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from '../../helpers/app';
import { CLOUD_TOKEN } from '../../helpers/app';
import { startDeliverableApp } from '../../helpers/deliverable-app';
import { pyRequest, rawRequest, type RawResponse } from '../../helpers/raw-http';

const FORM = 'email=alice%40example.com&message=Disk+full';
const HEADERS = ['content-type', 'content-length', 'connection', 'retry-after'];

describe('make_call and send_sms: the direct routes answer as Express does', () => {
  let t: RunningApp;
  let expressOnly: Server;
  let expressPort: number;
  beforeEach(async () => {
    t = await startDeliverableApp({ DOZVON_PUBLIC_URL: 'http://dozvon.test:8080/oncall/' });
    await t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    await t.app.users.create({ email: 'nophone@example.com', name: 'No Phone' }, { lang: 'en' });
    expressOnly = createServer(t.app.http);
    await new Promise<void>((r) => expressOnly.listen(0, '127.0.0.1', r));
    expressPort = (expressOnly.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise<void>((r) => expressOnly.close(() => r()));
    await t.close();
  });

  const seen = (r: RawResponse) => ({
    status: r.status,
    body: r.body,
    headers: Object.fromEntries(HEADERS.filter((h) => r.headers[h] !== undefined).map((h) => [h, r.headers[h]])),
  });
  const both = async (request: string) => {
    const direct = seen(await rawRequest(t.port, request));
    const express = seen(await rawRequest(expressPort, request));
    return { direct, express };
  };

  const cases: [string, string, number][] = [
    ['accepted (form)', pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: FORM }), 200],
    [
      'accepted (JSON), send_sms',
      pyRequest('POST', '/api/v1/send_sms', {
        token: CLOUD_TOKEN,
        body: '{"email":"alice@example.com","message":"x"}',
        contentType: 'application/json',
      }),
      200,
    ],
    ['trailing slash and query', pyRequest('POST', '/api/v1/make_call/?x=1', { token: CLOUD_TOKEN, body: FORM }), 200],
    ['under the public prefix', pyRequest('POST', '/oncall/api/v1/make_call', { token: CLOUD_TOKEN, body: FORM }), 200],
    ['no token', pyRequest('POST', '/api/v1/make_call', { body: FORM }), 403],
    ['wrong token', pyRequest('POST', '/api/v1/make_call', { token: 'nope', body: FORM }), 403],
    ['Bearer scheme', pyRequest('POST', '/api/v1/make_call', { token: `Bearer ${CLOUD_TOKEN}`, body: FORM }), 403],
    ['unknown person', pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: 'email=ghost%40example.com&message=x' }), 404],
    ['no number', pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: 'email=nophone%40example.com&message=x' }), 400],
    ['no email', pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: 'message=x' }), 400],
    [
      'message too long',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: `email=alice%40example.com&message=${'a'.repeat(1100)}` }),
      400,
    ],
    [
      'a body type it does not read',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: FORM, contentType: 'text/plain' }),
      400,
    ],
    [
      'malformed JSON',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: '{"email":', contentType: 'application/json' }),
      400,
    ],
    [
      'too deep JSON',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: '{"a":[[[[[1]]]]]}', contentType: 'application/json' }),
      400,
    ],
    [
      'another charset',
      pyRequest('POST', '/api/v1/make_call', {
        token: CLOUD_TOKEN,
        body: FORM,
        contentType: 'application/x-www-form-urlencoded; charset=latin1',
      }),
      415,
    ],
    [
      'NUL in a field',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: 'email=alice%40example.com&message=a%00b' }),
      400,
    ],
    [
      'too large by its Content-Length',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: `email=a&message=${'a'.repeat(9000)}` }),
      413,
    ],
    [
      'compressed',
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: FORM }).replace('\r\n\r\n', '\r\nContent-Encoding: gzip\r\n\r\n'),
      415,
    ],
    [
      'refused before its body arrived',
      pyRequest('POST', '/api/v1/make_call', { token: 'nope', body: 'email=' }).replace(/Content-Length: \d+/, 'Content-Length: 5000'),
      403,
    ],
    ['other method on the path', pyRequest('GET', '/api/v1/make_call', { token: CLOUD_TOKEN }), 404],
    // Express's routers match case-insensitively; the direct route leaves it to Express, which takes it.
    ['other case', pyRequest('POST', '/API/v1/make_call', { token: CLOUD_TOKEN, body: FORM }), 200],
  ];
  for (const [name, request, status] of cases)
    it(`${name}: ${status}`, async () => {
      const { direct, express } = await both(request);
      expect(direct.status).to.equal(status);
      expect(direct).to.deep.equal(express);
    });

  it('the same rows stored either way', async () => {
    await both(pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: FORM }));
    const rows = await t.app.db('notifications').select('kind', 'email', 'message', 'source', 'state').orderBy('id');
    expect(rows).to.have.length(2);
    expect(rows[0]).to.deep.equal(rows[1]);
  });

  it('one failure count: guesses on the direct route lock the address out of Express too, with the same 429', async () => {
    const wrong = pyRequest('POST', '/api/v1/make_call', { token: 'wrong-token', body: FORM });
    for (let i = 0; i < 20; i++) expect((await rawRequest(t.port, wrong)).status).to.equal(403);
    const good = pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: FORM });
    const { direct, express } = await both(good);
    expect(direct.status).to.equal(429);
    expect(direct).to.deep.equal(express);
  });
});
