import { expect } from 'chai';
import { voiceWorld, VoiceWorld } from './harness';

/** The hotline as wired in the app: an inbound channel with args "hotline" reaches the Hotline. */
describe('hotline e2e through the app', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  beforeEach(async () => {
    w = await voiceWorld({ env: { DOZVON_HOTLINE_PUBLIC: 'true' } });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    w.oncall.state.addUser({ email: 'alice@example.com', token: 'tok-alice' });
    w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on db-1.prod.example.com' });
    w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'High CPU' });
    await w.t.app.users.create(
      { email: 'alice@example.com', name: 'Alice', phone: '+15550001111', pin: '2468', oncall_token: 'tok-alice' },
      { lang: 'en' },
    );
  });
  afterEach(() => w.close());

  it('an unknown caller (public mode) is answered and told how many incidents are open', async () => {
    const caller = w.asterisk.inboundCall({ from: '+15557654321', args: ['hotline'] });
    await caller.expectPlayback(/dozvon\/hotline_welcome/);
    await caller.expectPlayback(/number:2/);
    expect(w.asterisk.requests.some((r) => r.method === 'POST' && /\/ari\/channels\/[^/]+\/answer$/.test(r.path))).to.equal(true);
    caller.press('#');
    await caller.expectHangup();
  });

  it('an inbound call with other arguments is not left ringing', async () => {
    const stray = w.asterisk.inboundCall({ from: '+15557654321', args: ['something-else'] });
    await stray.expectHangup();
  });
});
