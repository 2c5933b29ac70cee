/**
 * Ring first: the phone is dialled as soon as the page is claimed, however slow OnCall
 * and the speech engine are; what the engineer hears is prepared while it rings. Answered
 * before the summary is ready, they hear the greeting and "one moment", then the summary.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';

describe('voice e2e: ring first, prepare while it rings', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let group: { id: string };

  beforeEach(async () => {
    w = await voiceWorld();
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on web-07' });
    w.oncall.state.addUser({ email: 'alice@example.com', username: 'alice' });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
  });
  afterEach(() => w.close());

  const originates = () => w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');

  it('dials before OnCall has answered a single request, then reads the enriched summary', async () => {
    // The fake Asterisk runs at 1/100 of real time: 300 ms of OnCall delay is 30 s of its ringing.
    w.oncall.setDelay(150);
    const phone = w.asterisk.phone('+15550001111').willAnswerAfter(25_000);
    const id = await w.makeCall('alice@example.com', pageText('Disk full on web-07', group.id));
    const call = await phone.expectCall(5000);
    const dialled = originates()[0].at;
    // Preparation starts once the phone rings (it waits while calls are on their way to the originate).
    const firstOnCall = await w.until(async () => w.oncall.requests[0], 'OnCall asked while ringing', 5000);
    // The originate reached Asterisk before OnCall's first answer (which takes 150 ms) came back.
    expect(dialled).to.be.lessThan(firstOnCall.at + 150);
    await call.expectPlayback('dozvon/greeting', 5000);
    await call.expectPlayback(/dozvon\/incident|number:/, 5000);
    await call.expectPlayback('dozvon/menu', 5000);
    expect(w.asterisk.mediaPlayed(call.channelId)).to.not.include('sound:dozvon/one_moment');
    call.press('1');
    await call.expectHangup(10000);
    const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery', 10000);
    expect(row.reason).to.match(/^pressed 1/);
    // The correlation found while ringing is what 1 acted on.
    expect(w.oncall.state.groups.get(group.id)!.acknowledgedAt).to.be.a('string');
  });

  it('answered while other pages fill the background line: its own page is prepared at once, not after theirs', async () => {
    w.oncall.setDelay(2000);
    const integ = w.oncall.state.addIntegration({ name: 'Staging' });
    // Four pages for people whose phones ring on take every background slot, each waiting on a slow OnCall.
    const others: string[] = [];
    for (let i = 0; i < 4; i++) {
      const email = `bob${i}@example.com`;
      await w.t.app.users.create({ email, name: `Bob ${i}`, phone: `+1555000200${i}` }, { lang: 'en' });
      w.asterisk.phone(`+1555000200${i}`).willAnswerAfter(600_000);
      const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: `Queue stuck on worker-${i}` });
      others.push(g.id);
      await w.makeCall(email, pageText(`Queue stuck on worker-${i}`, g.id));
    }
    const asked = (id: string) => w.oncall.requests.filter((r) => r.path.includes(id));
    await w.until(async () => others.every((id) => asked(id).length > 0) || undefined, 'the four in the line asking OnCall', 5000);
    const firstAsked = Math.max(...others.map((id) => asked(id)[0].at));
    const phone = w.asterisk.phone('+15550001111').willAnswerAfter(0);
    await w.makeCall('alice@example.com', pageText('Disk full on web-07', group.id));
    const call = await phone.expectCall(5000);
    await call.expectPlayback('dozvon/greeting');
    // Alice's page is asked about while the four still wait on their first answer (2 s): it did not wait for a slot.
    const mine = await w.until(async () => asked(group.id)[0], "OnCall asked about Alice's incident", 10_000);
    expect(mine.at - firstAsked).to.be.lessThan(1000);
    await call.expectPlayback(/dozvon\/incident|number:/, 15_000);
    call.press('1');
    await call.expectHangup(10000);
  });

  it('answered before the summary is ready: greeting, "one moment", then the summary, never silence', async () => {
    w.oncall.setDelay(1500);
    const phone = w.asterisk.phone('+15550001111').willAnswerAfter(0);
    await w.makeCall('alice@example.com', pageText('Disk full on web-07', group.id));
    const call = await phone.expectCall(5000);
    await call.expectPlayback('dozvon/greeting');
    await call.expectPlayback('dozvon/one_moment', 5000);
    await call.expectPlayback(/dozvon\/incident|number:/, 8000);
    await call.expectPlayback('dozvon/menu', 5000);
    const played = w.asterisk.mediaPlayed(call.channelId);
    expect(played.indexOf('sound:dozvon/one_moment')).to.be.lessThan(played.indexOf('sound:dozvon/menu'));
    // The greeting is not read twice.
    expect(played.filter((m) => m === 'sound:dozvon/greeting')).to.have.length(1);
    call.press('1');
    await call.expectHangup(10000);
  });
});
