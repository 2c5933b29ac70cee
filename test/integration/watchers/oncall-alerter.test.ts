import { expect } from 'chai';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../../src/core/log';
import { HttpOnCallAlerter } from '../../../src/watchers/heartbeats';
import { FakeClock } from '../../fakes/clock';

/** A fake OnCall formatted_webhook integration on loopback: answers with the queued statuses. */
async function fakeIntegration(statuses: number[]): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integrations/v1/formatted_webhook/tok/`, bodies, server };
}

describe('HttpOnCallAlerter (real HTTP)', () => {
  it('retries 5xx with backoff on the clock, then delivers', async () => {
    const f = await fakeIntegration([500, 503, 200]);
    const clock = new FakeClock();
    const alerter = new HttpOnCallAlerter({ url: f.url, clock, logger: silentLogger(), backoffMs: [1000, 1000, 1000] });
    const sent = alerter.send({ alert_uid: 'dozvon-heartbeat-x', title: 'x is expired', message: 'm', state: 'alerting' });
    for (let i = 0; i < 10 && f.bodies.length < 3; i++) await new Promise((r) => setTimeout(r, 20)).then(() => clock.advance(1000));
    await sent;
    expect(f.bodies).to.have.length(3);
    expect(f.bodies[2]).to.deep.equal({ alert_uid: 'dozvon-heartbeat-x', title: 'x is expired', message: 'm', state: 'alerting' });
    f.server.close();
  });

  it('gives up at once on a 4xx and never rejects', async () => {
    const f = await fakeIntegration([404]);
    const alerter = new HttpOnCallAlerter({ url: f.url, clock: new FakeClock(), logger: silentLogger() });
    await alerter.send({ alert_uid: 'u', title: 't', message: 'm', state: 'ok' });
    expect(f.bodies).to.have.length(1);
    f.server.close();
  });
});
