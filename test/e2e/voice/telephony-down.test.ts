/**
 * End to end: when no Asterisk is connected, pages wait (DOZVON_TELEPHONY_WAIT_MS,
 * 2 min by default) and then go to SMS; a short outage costs nothing. The app runs on the fake
 * clock, the fake Asterisk and the real ari-client on real time.
 */
import { expect } from 'chai';
import WebSocket from 'ws';
import { voiceWorld, VoiceWorld, pageText } from './harness';
import { FakeSmsGateway } from '../../fakes/senders';

describe('voice e2e: telephony down', function () {
  this.timeout(40000);
  let w: VoiceWorld;
  let gw: FakeSmsGateway;
  const originates = () => w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
  const attempts = async (id: number) => (await w.t.app.db('attempts').where({ notification_id: id })) as { outcome: string }[];

  beforeEach(async () => {
    gw = await FakeSmsGateway.start();
    w = await voiceWorld({
      yaml: `senders:\n  sms:\n    - { type: http, name: gw, url: "${gw.url}/send", body: { to: "{{to}}", text: "{{text}}" } }\n`,
    });
    await w.t.app.users.create(
      { email: 'alice@example.com', name: 'Alice', phone: '+15550001111', channels: ['voice', 'sms'] },
      { lang: 'en' },
    );
  });
  afterEach(async () => {
    await w.close();
    await gw.close();
  });

  it('another process took the Stasis app: the page waits 2 minutes without a call, then goes out by SMS; /readyz stays ready through SMS', async () => {
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full' });
    const intruder = new WebSocket(
      `${w.asterisk.url.replace('http', 'ws')}/ari/events?app=dozvon&api_key=${w.asterisk.user}:${w.asterisk.password}`,
    );
    await new Promise((resolve) => intruder.once('open', resolve));
    try {
      await w.until(() => w.tel.health().servers[0].state === 'replaced', 'ApplicationReplaced');
      const id = await w.makeCall('alice@example.com', pageText('Disk full', g.id));
      await w.advance(119_000);
      expect(originates()).to.have.length(0);
      expect(await attempts(id)).to.have.length(0); // no `unavailable` attempts burnt while waiting
      expect((await w.rows()).find((r) => r.id === id)).to.include({ state: 'pending' });

      const ready = await fetch(`${w.t.url}/readyz`);
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      expect(ready.status).to.equal(200); // SMS can still page people
      expect(body.checks.telephony).to.match(/another client took Stasis app "dozvon"/);
      expect(body.checks.sms).to.match(/^unchecked: sender:gw unchecked: /); // ready, though nothing probes this gateway
      // The self-check that tells admins (once per change) sees it too.
      const telephony = (await w.t.app.checks.runNow()).find((c) => c.name === 'telephony')!;
      expect(telephony.ok).to.equal(false);
      expect(telephony.detail).to.match(/replaced \(another client took Stasis app "dozvon"/);

      await w.advance(2_000);
      const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'failed'), 'voice to hand over');
      expect(row.reason).to.match(/^no Asterisk connected for 2 min \(.*another client took Stasis app "dozvon".*\); handed over to sms$/);
      await w.until(async () => (await w.rows()).find((r) => r.kind === 'sms' && r.state === 'delivered'), 'the SMS', 8000);
      expect(gw.requests).to.have.length(1);
      expect(originates()).to.have.length(0);
    } finally {
      intruder.close();
    }
  });

  it('Asterisk away for a moment: the page waits, then rings; nothing failed and no attempt was wasted', async () => {
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'CPU' });
    w.asterisk.phone('+15550001111').willAnswerAfter(50).willPress('1', { afterPlaybackStartMs: 30 });
    const back = w.asterisk.restart({ downMs: 400 });
    await w.until(() => !w.tel.health().ok, 'telephony down');
    const id = await w.makeCall('alice@example.com', pageText('CPU', g.id));
    await w.advance(1_000);
    expect(originates()).to.have.length(0);
    await back;
    await w.until(() => w.tel.health().ok, 'reconnect', 8000);
    await w.advance(2_000);
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery');
    expect((await attempts(id)).map((a) => a.outcome)).to.deep.equal(['answered']);
    expect(originates()).to.have.length(1);
    expect(gw.requests).to.have.length(0);
  });
});
