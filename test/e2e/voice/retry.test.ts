import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';
import { FakeSmsGateway } from '../../fakes/senders';

describe('voice e2e: retries, bundling, recovery, fallback', function () {
  this.timeout(40000);
  let w: VoiceWorld;
  let integ: { id: string };
  const originates = () => w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');

  beforeEach(async () => {
    w = await voiceWorld();
    integ = w.oncall.state.addIntegration({ name: 'Prod' });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
  });
  afterEach(() => w.close());

  it('busy is called again after 15 s on the clock (not before), then a digit delivers', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full' });
    w.asterisk.phone('+15550001111').willBeBusy();
    const id = await w.makeCall('alice@example.com', pageText('Disk full', g.id));
    await w.until(
      async () => (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome')).length === 1,
      'first attempt',
    );
    const [first] = await w.t.app.db('attempts').where({ notification_id: id });
    expect(first.outcome).to.equal('busy');
    expect(first.cause).to.match(/BUSY/);
    w.asterisk.phone('+15550001111').willAnswerAfter(50).willPress('4', { afterPlaybackStartMs: 30 });
    await w.advance(14_000);
    expect(originates()).to.have.length(1);
    await w.advance(2_000);
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery');
    expect(originates()).to.have.length(2);
  });

  it('an answer without any digit (voicemail) replays the menu twice, hangs up, and calls again 60 s later', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Silent' });
    const p = w.asterisk.phone('+15550001111');
    const id = await w.makeCall('alice@example.com', pageText('Silent', g.id));
    const call = await p.expectCall();
    call.answer(); // and then nothing: an answering machine that keeps listening
    const channel = () => originates()[0]?.query.channelId;
    const menuPlays = () => (channel() ? w.asterisk.mediaPlayed(channel()!).filter((m) => m.includes('dozvon/menu')).length : 0);
    const finishedPlays = () =>
      // Menu plays only: answered before the summary is ready, the greeting plays and finishes first.
      w.asterisk.events.filter(
        (e) =>
          e.event.type === 'PlaybackFinished' &&
          e.event.playback.target_uri === `channel:${channel()}` &&
          String(e.event.playback.media_uri).includes('dozvon/menu'),
      ).length;
    for (let i = 0; i < 3; i++) {
      // Each menu play must finish (real time) before its 10 s first-digit timeout runs (app time).
      await w.until(() => menuPlays() >= i + 1 && finishedPlays() >= i + 1, `menu play ${i + 1}`);
      await new Promise((r) => setTimeout(r, 50));
      await w.advance(10_000);
    }
    await call.expectHangup();
    await w.until(
      async () => (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome')).length === 1,
      'the silent attempt to end',
    );
    const [a] = await w.t.app.db('attempts').where({ notification_id: id });
    expect(a.outcome).to.equal('answered');
    expect(a.digits).to.equal(null);
    expect(menuPlays()).to.equal(3);
    expect(w.asterisk.mediaPlayed(channel()!).slice(-1)[0]).to.match(/no_response|goodbye/);
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'pending'), 'the page to wait for its retry');
    await w.advance(61_000);
    await w.until(() => originates().length === 2, 'the retry call');
  });

  it('a voicemail that answers and hangs up without a digit counts as not delivered and is retried', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Voicemail' });
    w.asterisk.phone('+15550001111').willStaySilent();
    const id = await w.makeCall('alice@example.com', pageText('Voicemail', g.id));
    // The attempt is recorded first, then the page is put back for its retry.
    const row = await w.until(
      async () => (await w.rows()).find((r) => r.id === id && r.state === 'pending' && r.reason !== null),
      'the page to be rescheduled',
    );
    expect(row.reason).to.match(/answered without a digit; retry 1 of 2/);
  });

  it('an acknowledgement in OnCall stops the retries', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Flapping' });
    w.asterisk.phone('+15550001111').willRingOut();
    const id = await w.makeCall('alice@example.com', pageText('Flapping', g.id));
    await w.until(
      async () => (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome')).length === 1,
      'first attempt',
      8000,
    );
    w.oncall.state.groups.get(g.id)!.acknowledgedBy = 'UOTHER';
    w.oncall.state.groups.get(g.id)!.acknowledgedAt = new Date().toISOString();
    await w.advance(61_000);
    const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'cancelled'), 'cancellation');
    expect(row.reason).to.match(/acknowledged/);
    expect(originates()).to.have.length(1);
  });

  it('three pending incidents for one person are read in one call; 1 acknowledges all three', async () => {
    const groups = ['CPU', 'Disk', 'Memory'].map((t) => w.oncall.state.addAlertGroup({ integrationId: integ.id, title: t }));
    await w.t.app.messages.stop(); // keep the queue still while the three pages arrive
    await w.t.app.voice.stop();
    const ids = [];
    for (const g of groups) ids.push(await w.makeCall('alice@example.com', pageText(g.title!, g.id)));
    w.asterisk.phone('+15550001111').willAnswerAfter(50).willPress('1', { afterPlaybackStartMs: 2000 });
    w.t.app.voice.start((fn) => w.t.app.wakeup.subscribe(fn));
    for (const id of ids) await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), `page ${id}`);
    expect(originates()).to.have.length(1);
    for (const g of groups) expect(w.oncall.state.groups.get(g.id)!.acknowledgedBy).to.be.a('string');
    const callIds = new Set((await w.t.app.db('attempts').whereIn('notification_id', ids)).map((a: { call_id: string }) => a.call_id));
    expect(callIds.size).to.equal(1);
  });

  it('Asterisk restarting mid-call: the attempt is recorded as interrupted and the page is called again', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Restart' });
    const p = w.asterisk.phone('+15550001111');
    const id = await w.makeCall('alice@example.com', pageText('Restart', g.id));
    const call = await p.expectCall();
    call.answer();
    await call.expectPlayback(/dozvon\/greeting/);
    // The next call (placed right after the cut, or 10 s later if Asterisk is still down) is answered.
    w.asterisk.phone('+15550001111').willAnswerAfter(50).willPress('1', { afterPlaybackStartMs: 30 });
    w.asterisk.restart({ downMs: 200 });
    await w.until(
      async () => (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome')).length === 1,
      'interrupted attempt',
      8000,
    );
    const [a] = await w.t.app.db('attempts').where({ notification_id: id });
    expect(a.outcome).to.equal('interrupted');
    expect(a.cause).to.match(/connection lost/);
    await w.until(() => w.tel.health().ok, 'ARI reconnect', 8000);
    // The immediate free retry may have met Asterisk still down ('unavailable'): the next try is 10 s later.
    await w.advance(11_000);
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery after restart', 8000);
  });

  it('after the last unanswered call the page is handed to SMS and delivered there', async () => {
    // A fake SMS gateway on loopback, configured as the SMS sender.
    const gw = await FakeSmsGateway.start();
    await w.close();
    w = await voiceWorld({
      yaml: `senders:\n  sms:\n    - { type: http, name: gw, url: "${gw.url}/send", body: { to: "{{to}}", text: "{{text}}" } }\n`,
    });
    integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Nobody home' });
    await w.t.app.users.create(
      { email: 'alice@example.com', name: 'Alice', phone: '+15550001111', channels: ['voice', 'sms'] },
      { lang: 'en' },
    );
    w.asterisk.phone('+15550001111').willReject({ afterMs: 100 });
    const id = await w.makeCall('alice@example.com', pageText('Nobody home', g.id));
    for (let i = 0; i < 2; i++) {
      await w.until(
        async () => (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome')).length === i + 1,
        `attempt ${i + 1}`,
        8000,
      );
      await w.advance(61_000);
    }
    const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'failed'), 'voice to give up', 8000);
    expect(row.reason).to.match(/rejected after 3 calls; handed over to sms/);
    const sms = await w.until(async () => (await w.rows()).find((r) => r.kind === 'sms' && r.state === 'delivered'), 'the SMS', 8000);
    expect(sms.outcome).to.equal('sent');
    expect(gw.requests).to.have.length(1);
    expect(gw.last().body).to.include('+15550001111');
    expect(gw.last().body).to.match(/\/ack\//); // every SMS carries the signed acknowledge link
    await gw.close();
  });
});

describe('voice e2e: dial-string safety', function () {
  this.timeout(20000);
  it('a number that is not a plain dialable string never reaches originate, even if it got into the database', async () => {
    const w = await voiceWorld();
    try {
      const u = await w.t.app.users.create({ email: 'mallory@example.com', name: 'M', phone: '+15550009999' }, { lang: 'en' });
      await w.t.app.db('users').where({ id: u.id }).update({ phone: '+1555&PJSIP/666@evil' });
      await w.t.app.db('user_phones').where({ user_id: u.id }).update({ number: '+1555&PJSIP/666@evil' });
      const id = await w.makeCall(
        'mallory@example.com',
        'You are invited to check an Alert Group from Grafana OnCall. Alert via X with title Y triggered 1 times',
      );
      const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'failed'), 'refusal');
      expect(row.reason).to.match(/number cannot be reached/);
      expect(w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels')).to.have.length(0);
      const [a] = await w.t.app.db('attempts').where({ notification_id: id });
      expect(a).to.include({ outcome: 'unreachable' });
      expect(a.cause).to.match(/not dialable/);
    } finally {
      await w.close();
    }
  });
});
