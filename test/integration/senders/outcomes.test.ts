/** A sender's self-check tells what is known: unprobed is not ok, and failed sends show even when nothing probes. */
import { expect } from 'chai';
import { buildSenders, SenderSet } from '../../../src/senders';
import { runChecksOnce, checkFrom } from '../../../src/watchers/checks';
import { createLogger } from '../../../src/core/log';
import { FakeClock } from '../../fakes/clock';
import { FakeSmsGateway } from '../../fakes/senders';
import { message } from './helpers';
import { rejection } from '../../helpers/rejection';

describe('sender health from its own sends', () => {
  let gw: FakeSmsGateway;
  let senders: SenderSet;
  const clock = new FakeClock();
  beforeEach(async () => (gw = await FakeSmsGateway.start()));
  afterEach(async () => {
    await senders?.close();
    await gw.close();
  });

  const build = (over: Record<string, unknown> = {}) =>
    (senders = buildSenders(
      { sms: [{ type: 'http', name: 'gw', url: `${gw.url}/send`, body: '{"to":"{{to}}"}', ...over }] },
      { clock, logger: createLogger({ level: 'silent' }) },
    ));
  const check = async () => (await runChecksOnce([checkFrom('sender:gw', (signal) => senders.byName('gw')!.health(signal))], { clock }))[0];

  it('a gateway without health_url is unchecked, not ok, and not failing', async () => {
    build();
    const r = await check();
    expect(r).to.include({ state: 'unchecked', ok: true, detail: 'not checked (no health_url)' });
  });

  it('a gateway that refuses connections turns degraded once a send fails, counting the failures in a row', async () => {
    build();
    await gw.close();
    await rejection(senders.sms[0].send(message()));
    const failed = await check();
    expect(failed).to.include({ state: 'degraded', ok: true });
    expect(failed.detail).to.match(/^the last send failed \(.*\); probe: not checked \(no health_url\)$/);
    await rejection(senders.sms[0].send(message()));
    expect((await check()).detail).to.match(/^the last 2 sends failed/);
  });

  it('a send that goes through clears the warning; a person without a number does not raise it', async () => {
    build();
    gw.queue({ status: 503, body: 'busy' });
    await rejection(senders.sms[0].send(message()));
    expect((await check()).state).to.equal('degraded');
    await senders.sms[0].send(message());
    expect((await check()).state).to.equal('unchecked');
    await rejection(senders.sms[0].send(message({ to: { phone: null, contacts: {}, email: 'bob@example.com', name: 'Bob' } })));
    expect((await check()).state).to.equal('unchecked');
  });

  it('a gateway whose health URL answers while sends are refused is degraded; a failing probe stays down', async () => {
    build({ health_url: `${gw.url}/health` });
    gw.queue({ status: 500, body: 'no route' });
    await rejection(senders.sms[0].send(message()));
    const r = await check();
    expect(r).to.include({ state: 'degraded', ok: true });
    expect(r.detail).to.match(/^the last send failed \(.*HTTP 500.*\); probe: HTTP 202$/);
    gw.queue({ status: 500, body: 'down' });
    expect(await check()).to.include({ state: 'down', ok: false });
  });
});
