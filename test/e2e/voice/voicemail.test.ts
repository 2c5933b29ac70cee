import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';

describe('voice e2e: an answering machine is not a person', function () {
  this.timeout(40000);
  let w: VoiceWorld;
  let integ: { id: string };
  const originates = () => w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
  const talkDetects = () => w.asterisk.requests.filter((r) => r.method === 'POST' && /\/ari\/channels\/[^/]+\/variable$/.test(r.path));
  const attempts = (id: number) => w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome');

  afterEach(() => w.close());

  async function world(yaml?: string): Promise<void> {
    w = await voiceWorld(yaml ? { yaml } : {});
    integ = w.oncall.state.addIntegration({ name: 'Prod' });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
  }

  it('a mailbox greeting: what played stops, one message after the greeting, hang up, outcome voicemail, and the page is retried', async () => {
    await world('voicemail:\n  callback_number: "+1 555 000 2222"\n');
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on db-1' });
    // It records for 10 minutes (6 s real): only dozvon's hang-up ends the call, however loaded the machine.
    const phone = w.asterisk.phone('+15550001111').willBeVoicemail({ greetingMs: 5000, recordMs: 600_000 });
    const id = await w.makeCall('alice@example.com', pageText('Disk full on db-1', g.id));
    const call = await phone.expectCall(10_000);
    await call.expectPlayback(/dozvon\/greeting/, 10_000);
    // The greeting ends (Finished comes a silence threshold later); the quiet before the message runs on the app's clock.
    await w.until(() => w.asterisk.events.some((e) => e.event.type === 'ChannelTalkingFinished'), 'the greeting to end');
    await w.advance(1000);
    await call.expectHangup(15_000);
    const [a] = await w.until(async () => {
      const rows = await attempts(id);
      return rows.length === 1 ? rows : null;
    }, 'the attempt');
    expect(a.outcome).to.equal('voicemail');
    expect(a.digits).to.equal(null);
    expect(a.result).to.match(/^answering machine after \d+\.\d s; message left$/);
    const played = call.played();
    expect(played.filter((m) => m.includes('dozvon/menu')).length, 'the menu is not read into the mailbox').to.be.at.most(1);
    // The message is the last thing played and ends with the number to call back, digit by digit.
    expect(played.join(' ')).to.match(
      /(number:1 number:5 number:5 number:5 number:0 number:0 number:0 number:2 number:2 number:2 number:2|digits:15550002222)$/,
    );
    // Set as Asterisk creates the channel: in place before the greeting, and nothing asked at the
    // answer, where a request could wait behind the greeting for the channel (rest.ts setVariable).
    expect(originates()[0].body).to.deep.equal({ variables: { 'TALK_DETECT(set)': '1000' } });
    expect(talkDetects(), 'variable requests').to.deep.equal([]);
    const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'pending' && r.reason !== null), 'retry');
    expect(row.reason).to.match(/answering machine \(message left\); retry 1 of 2/);
    await w.advance(61_000);
    await w.until(() => originates().length === 2, 'the retry call');
  });

  it('a short "hello?" and then listening gets the normal call: greeting, summary, menu, and 1 acknowledges', async () => {
    await world();
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'CPU' });
    const phone = w.asterisk.phone('+15550001111').willAnswerAfter(50).willTalk(600, { afterAnswerMs: 100 });
    const id = await w.makeCall('alice@example.com', pageText('CPU', g.id));
    const call = await phone.expectCall(10_000);
    await call.expectPlayback(/dozvon\/greeting/, 10_000);
    await call.expectPlayback(/dozvon\/menu/, 15_000);
    call.press('1');
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery');
    const [a] = await attempts(id);
    expect(a.outcome).to.equal('answered');
    expect(a.action).to.equal('acknowledge');
    expect(w.asterisk.events.some((e) => e.event.type === 'ChannelTalkingFinished' && e.event.duration === 600)).to.equal(true);
    expect(call.played().some((m) => m.includes('voicemail_left'))).to.equal(false);
  });

  it('with detection off, nothing is asked of Asterisk and a talking mailbox is read the menu as before', async () => {
    await world('voicemail:\n  detect: false\n');
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Off' });
    const phone = w.asterisk.phone('+15550001111').willBeVoicemail({ greetingMs: 5000 });
    const id = await w.makeCall('alice@example.com', pageText('Off', g.id));
    const call = await phone.expectCall(10_000);
    await call.expectPlayback(/dozvon\/menu/, 15_000);
    await call.expectHangup(15_000);
    const [a] = await w.until(async () => {
      const rows = await attempts(id);
      return rows.length === 1 ? rows : null;
    }, 'the attempt');
    expect(a.outcome).to.equal('answered');
    expect(talkDetects()).to.have.length(0);
    expect(originates()[0].body, 'no variables on the originate').to.equal(null);
  });
});
