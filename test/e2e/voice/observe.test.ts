import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';
import { mkdirSync } from 'node:fs';
import { launchBrowser } from '../../integration/status/browser';

/** One scripted call, then what an operator sees: /metrics counts it, the status page shows it. */
describe('voice e2e: a call shows up in /metrics and on the status page', function () {
  this.timeout(60000);
  let w: VoiceWorld;
  let id: number;
  before(async () => {
    w = await voiceWorld();
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    w.oncall.state.addUser({ email: 'alice@example.com', username: 'alice' });
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'High CPU on db-1.prod.example.com' });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    w.asterisk.phone('+15550001111').willAnswerAfter(100).willPress('1', { afterPlaybackStartMs: 50 });
    id = await w.makeCall('alice@example.com', pageText('High CPU on db-1.prod.example.com', g.id));
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery');
  });
  after(() => w.close());

  it('counts the notification, the attempt, the digit and the action, with no personal data in labels', async () => {
    const text = await (await fetch(`${w.t.url}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    expect(value(/^dozvon_notifications_received_total\{kind="call",source="oncall-cloud"\} (\d+)/m)).to.equal(1);
    expect(value(/^dozvon_call_attempts_total\{outcome="answered",cause="\d+"\} (\d+)/m)).to.equal(1);
    expect(value(/^dozvon_digits_pressed_total\{digit="1"\} (\d+)/m)).to.equal(1);
    expect(value(/^dozvon_actions_total\{action="acknowledge",result="done"\} (\d+)/m)).to.equal(1);
    expect(value(/^dozvon_notifications_finished_total\{kind="call",outcome="digit"\} (\d+)/m)).to.equal(1);
    expect(value(/^dozvon_dispatch_latency_seconds_count (\d+)/m)).to.equal(1);
    expect(value(/^dozvon_queue_depth\{state="delivered"\} (\d+)/m)).to.equal(1);
    expect(text).to.not.match(/alice|15550001111|I[A-NP-Z1-9]{12}/);
  });

  it('the status page (admin token) lists the call with its digit and a masked number', async () => {
    const r = await fetch(`${w.t.url}/`, { headers: { authorization: 'Bearer admin-token-0123456789' } });
    expect(r.status).to.equal(200);
    const html = await r.text();
    expect(html).to.not.include('+15550001111');
    expect(await fetch(`${w.t.url}/`).then((x) => x.status)).to.equal(401);
    const browser = await launchBrowser();
    try {
      await browser.page.setExtraHTTPHeaders({ authorization: 'Bearer admin-token-0123456789' });
      await browser.page.goto(`${w.t.url}/`);
      const body = (await browser.page.textContent('body')) ?? '';
      expect(body).to.match(/answered/i);
      expect(body).to.match(/acknowledge/i);
      expect(body).to.match(/\+1555\*+11/);
      mkdirSync('test-output', { recursive: true });
      await browser.page.screenshot({ path: 'test-output/status-after-call.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
