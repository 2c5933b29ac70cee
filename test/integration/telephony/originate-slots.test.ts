import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { FakeAsterisk } from '../../fakes/asterisk';
import { makeHarness, Harness } from './harness';

/**
 * A TCP relay in front of the fake Asterisk that counts connections open at once: what a real
 * Asterisk's HTTP listen backlog of 10 sees when a burst opens connections. `expireIdle()` closes
 * every connection but the event socket, as Asterisk does after session_keep_alive (15 s): a
 * burst after a quiet spell finds no connection to reuse.
 */
async function countingRelay(target: string) {
  const { port } = new URL(target);
  let open = 0;
  let peak = 0;
  const conns = new Map<net.Socket, { upstream: net.Socket; events: boolean }>();
  const server = net.createServer((client) => {
    open++;
    peak = Math.max(peak, open);
    const upstream = net.connect(Number(port), '127.0.0.1');
    const conn = { upstream, events: false };
    conns.set(client, conn);
    client.once('data', (d: Buffer) => (conn.events = /^upgrade: websocket/im.test(d.toString())));
    client.pipe(upstream).pipe(client);
    const gone = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => (open--, conns.delete(client), gone()));
    client.on('error', gone);
    upstream.on('error', gone);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    peak: () => peak,
    async expireIdle() {
      for (const [client, c] of conns) if (!c.events) client.destroy();
      while ([...conns.values()].some((c) => !c.events)) await new Promise((r) => setTimeout(r, 5));
      peak = open;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of conns.keys()) client.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('AriTelephony: a burst of originates', () => {
  let asterisk: FakeAsterisk;
  let relay: Awaited<ReturnType<typeof countingRelay>>;
  let h: Harness;
  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
    relay = await countingRelay(asterisk.url);
  });
  afterEach(async () => {
    await h?.close();
    await relay.close();
  });

  it('keeps at most originateSlots originates in flight, so a burst opens no more connections than Asterisk accepts at once', async () => {
    h = await makeHarness({ asterisk, tel: { urls: [relay.url], originateSlots: 4 } });
    for (let i = 0; i < 30; i++) asterisk.phone(String(2000 + i)).willRingOut();
    await relay.expireIdle();
    expect(relay.peak()).to.equal(1);
    const legs = await Promise.all(Array.from({ length: 30 }, (_, i) => h.dial(String(2000 + i), { timeoutSec: 60 })));
    expect(legs).to.have.length(30);
    expect(asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels')).to.have.length(30);
    // The event socket and one connection per originate in flight; without the slots, one per originate.
    expect(relay.peak()).to.be.at.most(1 + 4);
    await Promise.all(legs.map((l) => l.hangup('normal')));
  });
});
