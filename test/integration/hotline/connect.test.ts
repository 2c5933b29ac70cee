import { expect } from 'chai';
import { HotlineHarness, makeHotlineHarness } from './harness';

const isPrompt = (id: string) => (s: string) => s === `prompt:${id}`;
const isTts = (re: RegExp) => (s: string) => s.startsWith('tts:') && re.test(s);

describe('hotline: 9 connects to on-call, hunts, and takes a message (fake Asterisk + fake OnCall)', () => {
  let h: HotlineHarness;
  afterEach(async () => h.close());

  async function pressNine(h: HotlineHarness, from = '+15550000001') {
    h.oncall.state.addAlertGroup({ integrationId: h.integrationId, title: 'Disk full on db-1' });
    const caller = h.call(from);
    await h.waitHeard(caller, isPrompt('hotline_menu'));
    caller.press('9');
    return caller;
  }

  it('tells the caller whom they reach, tells the engineer who calls about what, bridges them', async () => {
    h = await makeHotlineHarness({ public: true });
    const carol = h.asterisk.phone('1001').willAnswerAfter(300);
    const caller = await pressNine(h);
    const at = await h.waitHeard(caller, isPrompt('connecting_to'));
    expect(await h.waitHeard(caller, (s) => s.startsWith('tts:'), at)).to.equal(at + 1);
    expect(h.heard(caller)[at + 1]).to.equal('tts:Carol White');
    const call = await carol.expectCall();
    await call.expectPlayback(/^sound:tts\//);
    const said = h.tts.texts[Number(/(\d+)$/.exec(call.played()[0])![1])];
    // Alice is known by caller ID alone (no PIN entered): the engineer is told it is not verified.
    expect(said).to.equal(
      'Hotline call from Alice Smith, going by caller ID only, not verified, about: Disk full on db-1. Connecting you now.',
    );
    const entered = await h.asterisk.waitFor(
      () => {
        const ids = h.asterisk.events.filter((e) => e.event.type === 'ChannelEnteredBridge').map((e) => e.event.channel.id as string);
        return ids.length === 2 ? ids : undefined;
      },
      3000,
      'both legs in the bridge',
    );
    expect(entered).to.have.members([caller.channelId, call.channelId]);
    expect(h.heard(caller)).to.include('tone:ring'); // the caller heard ringing while Carol's phone rang
    call.hangup(); // the engineer hangs up: the caller is hung up too
    await caller.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'bridged' });
    expect(report!.states.slice(-3)).to.deep.equal(['connecting', 'bridged', 'done']);
    await h.asterisk.waitForEvent('BridgeDestroyed');
    expect(h.clock.pending()).to.equal(0);
  });

  it('no answer hunts to the next engineer (schedule first, then the hunt list)', async () => {
    h = await makeHotlineHarness({ public: true });
    h.asterisk.phone('1001').willReject({ afterMs: 500 });
    const dave = h.asterisk.phone('1002').willAnswerAfter(0);
    const caller = await pressNine(h);
    const call = await dave.expectCall(3000);
    expect(h.asterisk.phone('1001').calls).to.have.length(1);
    await h.waitHeard(caller, isTts(/^tts:Dave Brown$/));
    expect(h.heard(caller).filter((s) => /^tts:(Carol|Dave)/.test(s))).to.deep.equal(['tts:Carol White', 'tts:Dave Brown']);
    expect(h.heard(caller).filter(isPrompt('connecting_to'))).to.have.length(2);
    await h.asterisk.waitFor(() => h.asterisk.events.filter((e) => e.event.type === 'ChannelEnteredBridge').length === 2, 3000, 'bridge');
    caller.hangup(); // this time the caller ends it: the engineer is hung up
    await call.expectHangup();
    expect(await h.reports[0]).to.include({ outcome: 'bridged' });
  });

  it('busy counts as no answer; without a schedule the escalation default target is rung', async () => {
    h = await makeHotlineHarness({
      public: true,
      section: { schedule: undefined, hunt: [] },
      escalationDefault: { users: ['dave@example.com', 'carol@example.com'] },
    });
    h.asterisk.phone('1002').willBeBusy();
    const carol = h.asterisk.phone('1001').willAnswerAfter(0);
    const caller = await pressNine(h);
    await carol.expectCall(3000);
    expect(h.asterisk.phone('1002').calls).to.have.length(1);
    await h.asterisk.waitFor(() => h.asterisk.events.filter((e) => e.event.type === 'ChannelEnteredBridge').length === 2, 3000, 'bridge');
    caller.hangup();
    expect(await h.reports[0]).to.include({ outcome: 'bridged' });
  });

  it('nobody answers: the caller records a message, it is stored and served, and OnCall gets an alert linking to it', async () => {
    h = await makeHotlineHarness({ public: true });
    h.asterisk.phone('1001').willReject({ afterMs: 200 });
    h.asterisk.phone('1002').willRingOut();
    h.alertStatus.push(503); // OnCall hiccups once: the alert is retried
    const caller = await pressNine(h);
    await h.waitHeard(caller, isPrompt('nobody_answered'), 0, 5000);
    await h.asterisk.waitForRequest('POST', /\/record$/, 3000);
    // record_max_seconds 5 → the fake stops the recording by itself after 5 s of Asterisk time.
    await h.waitHeard(caller, isTts(/message has been passed on/), 0, 5000);
    await caller.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'voicemail' });
    expect(await report!.alert).to.equal(true);
    const [stored] = await h.messages.listRecent();
    expect(stored).to.include({ caller: '+15550000001', contentType: 'audio/wav' });
    expect(stored.durationMs).to.be.within(4000, 6000);
    expect(stored.token).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(h.alerts).to.have.length(1);
    const body = h.alerts[0].body;
    const link = `${h.publicUrl}hotline/messages/${stored.token}.wav`;
    expect(body).to.include({
      state: 'alerting',
      alert_uid: stored.alertUid,
      link_to_upstream_details: link,
      title: 'Hotline message from Alice Smith (caller ID only, not verified)',
    });
    expect(body.message).to.include('About: Disk full on db-1').and.include(link).and.include('+15550000001').and.include('not verified');
    const res = await fetch(link);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.subarray(0, 4).toString()).to.equal('RIFF');
    expect(wav.length).to.be.greaterThan(44 + 4 * 16000);
    expect((await fetch(`${h.publicUrl}hotline/messages/${'x'.repeat(32)}.wav`)).status).to.equal(404);
  });

  it('nobody answers and the caller leaves no message (# at once): they are not told a message was passed on', async () => {
    h = await makeHotlineHarness({ public: true });
    h.asterisk.phone('1001').willReject({ afterMs: 200 });
    h.asterisk.phone('1002').willRingOut();
    const caller = await pressNine(h);
    await h.waitHeard(caller, isPrompt('nobody_answered'), 0, 5000);
    await h.asterisk.waitForRequest('POST', /\/record$/, 3000);
    caller.press('#'); // terminateOn '#': the recording ends at once, empty
    await h.waitHeard(caller, isTts(/will be told that you called/), 0, 5000);
    await caller.expectHangup();
    expect(h.heard(caller).some(isTts(/message has been passed on/))).to.equal(false);
    expect(await h.messages.listRecent()).to.have.length(0);
  });

  it('the caller hanging up while an engineer rings cancels that call and raises nothing', async () => {
    h = await makeHotlineHarness({ public: true });
    const carol = h.asterisk.phone('1001'); // rings until told otherwise
    const caller = await pressNine(h);
    const call = await carol.expectCall(3000);
    caller.hangup();
    await call.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'hangup' });
    expect(h.asterisk.phone('1002').calls).to.have.length(0);
    expect(h.alerts).to.have.length(0);
    expect(h.clock.pending()).to.equal(0);
  });
});
