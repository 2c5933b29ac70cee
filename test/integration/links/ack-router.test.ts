import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { express } from '../../../src/http/express';
import { AckLinks, createAckRouter } from '../../../src/links';
import type { AckOutcome, AckRequest, AckTarget } from '../../../src/links';
import { FakeClock } from '../../fakes/clock';

describe('ack page (real HTTP)', () => {
  let server: Server;
  let base: string;
  let clock: FakeClock;
  let links: AckLinks;
  let acks: AckRequest[];
  let outcome: AckOutcome | Error;
  const targets: Record<string, AckTarget> = {
    '7': { alertGroupId: 'IGROUP7', email: 'alice@example.com', title: 'High CPU <script>alert(1)</script>', text: 'db-1 & db-2' },
    '8': { alertGroupId: null, email: 'bob@example.com', title: 'Heartbeat' },
  };

  beforeEach(async () => {
    clock = new FakeClock();
    links = new AckLinks({ secret: 'test-secret-0123456789', clock, publicUrl: 'http://x/' });
    acks = [];
    outcome = { status: 'done', text: 'Acknowledged by Alice' };
    const app = express();
    app.use(
      '/ack',
      createAckRouter({
        verify: (t) => links.verify(t),
        lookup: async (c) => targets[c.notificationId] ?? null,
        acknowledge: async (r) => {
          acks.push(r);
          if (outcome instanceof Error) throw outcome;
          return outcome;
        },
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ack/`;
  });
  afterEach(() => new Promise((r) => server.close(r)));

  const get = (token: string) => fetch(base + token);
  const post = (token: string, form: Record<string, string> = { t: token }) =>
    fetch(base + token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('GET shows the incident, escaped, with a POST form, and never acknowledges', async () => {
    const t = links.token(7);
    const res = await get(t);
    const html = await res.text();
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(html).to.include('High CPU &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.to.include('<script>');
    expect(html).to.include('db-1 &amp; db-2');
    expect(html).to.match(/<form method="post" action="[^"]+">/);
    expect(html).to.include(`name="t" value="${t}"`);
    await get(t);
    expect(acks).to.deep.equal([]);
  });

  it('POST acknowledges through the injected function and says so', async () => {
    const res = await post(links.token(7));
    const html = await res.text();
    expect(res.status).to.equal(200);
    expect(html).to.include('Acknowledged').and.include('Acknowledged by Alice');
    expect(acks).to.deep.equal([{ alertGroupId: 'IGROUP7', notificationId: '7', email: 'alice@example.com', via: 'link' }]);
  });

  it('a POST without a form body (ntfy action) acknowledges by the path token', async () => {
    const res = await fetch(base + links.token(7), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
    });
    expect(res.status).to.equal(200);
    expect(acks).to.have.length(1);
  });

  it('shows "already acknowledged" and failures', async () => {
    outcome = { status: 'already', text: 'Already acknowledged by Bob' };
    let html = await (await post(links.token(7))).text();
    expect(html).to.include('Already acknowledged').and.include('by Bob');
    outcome = { status: 'failed', text: 'OnCall did not answer' };
    const res = await post(links.token(7));
    expect(res.status).to.equal(502);
    expect(await res.text()).to.include('Sorry, that failed');
    outcome = new Error('boom');
    const thrown = await post(links.token(7));
    expect(thrown.status).to.equal(503);
    html = await thrown.text();
    expect(html).not.to.include('boom');
  });

  it('refuses expired links with 410 and tampered ones with 400, without acknowledging', async () => {
    const t = links.token(7);
    await clock.advance(24 * 3600_000);
    expect((await get(t)).status).to.equal(410);
    expect((await post(t)).status).to.equal(410);
    const fresh = links.token(7);
    const tampered = fresh.replace(/^7\./, '8.');
    expect((await get(tampered)).status).to.equal(400);
    expect((await post(tampered)).status).to.equal(400);
    expect((await post(fresh, { t: links.token(8) })).status).to.equal(400);
    expect(acks).to.deep.equal([]);
  });

  it('unknown notifications are 404; ones without an incident 409', async () => {
    expect((await get(links.token(99))).status).to.equal(404);
    expect((await post(links.token(8))).status).to.equal(409);
    expect(acks).to.deep.equal([]);
  });
});
