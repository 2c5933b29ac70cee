/**
 * The hotline over a real inbound SIP call: a phone dials the shipped [from-trunk] number, the
 * call runs through [dozvon-hotline] into Stasis(dozvon,hotline), and dozvon answers. The caller
 * hears the open incidents, moves with 1, acknowledges with 5 and the PIN, and with 9 is put
 * through to the engineer on call, or leaves a message that OnCall is told about.
 */
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld } from './world';
import { parseWav } from '../../src/tts/audio/wav';
import {
  AlertInbox,
  coreSound,
  enterPin,
  expectHeardInFull,
  heardStart,
  heardToEnd,
  hotlineReport,
  isPrompt,
  listenIn,
  playedOn,
  speak,
  spokenTexts,
  targetOf,
  expectVoiceOf,
} from './hotline-helpers';

const HOTLINE = '+15550100100';
const ALICE = '+15550001111';

describe('real Asterisk: the hotline over an inbound SIP call', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;
  let inbox: AlertInbox;
  let said: ReturnType<typeof spokenTexts>;
  let aliceId: string;
  let disk: { id: string };
  let queue: { id: string };

  beforeEach(async () => {
    inbox = await AlertInbox.start();
    w = await realWorld(asterisk(), {
      env: { DOZVON_TTS: 'espeak' },
      yaml: `hotline:\n  schedule: Primary\n  ring_timeout_seconds: 5\n  record_max_seconds: 20\n  oncall_alert_url: ${inbox.url}\n`,
    });
    said = spokenTexts(w);
    aliceId = w.oncall.state.addUser({ email: 'alice@example.com', token: 'tok-alice', username: 'alice' }).id;
    const carol = w.oncall.state.addUser({ email: 'carol@example.com', username: 'carol' });
    w.oncall.state.addSchedule({ name: 'Primary', onCallNow: [carol.id] });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    disk = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on db-1', createdAt: Date.now() - 5 * 60_000 });
    queue = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Queue backlog on mq-1', createdAt: Date.now() - 3600_000 });
    await w.app.users.create(
      { email: 'alice@example.com', name: 'Alice Smith', phone: ALICE, pin: '1234', oncall_token: 'tok-alice' },
      { lang: 'en' },
    );
    await w.app.users.create({ email: 'carol@example.com', name: 'Carol White', phone: '+15550003333' }, { lang: 'en' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      process.stderr.write(
        `phones saw: ${JSON.stringify(w.phones.events.filter((e) => e.playback).map((e) => `${e.type} ${e.playback!.target_uri} ${e.playback!.media_uri}`))}\n`,
      );
      process.stderr.write(
        `dozvon said: ${w.logs
          .filter((l) => /hotline|warn|error/.test(l))
          .slice(-30)
          .join('')}\n`,
      );
    }
    await w.close();
    await inbox.close();
  });

  it('the caller hears the incidents newest first, 1 reads the next, 5 + PIN acknowledges it in OnCall as the engineer', async () => {
    const call = await w.phones.dial(HOTLINE, ALICE);
    const leg = await targetOf(w.phones, isPrompt('hotline_welcome'), 'the welcome');

    // Known by caller ID: the incidents at once, no PIN asked.
    let at = await heardToEnd(w.phones, leg, isPrompt('hotline_menu'), 'the menu');
    const first = playedOn(w.phones, leg).slice(0, at);
    expect(first.slice(0, 4)).to.deep.equal([
      'sound:dozvon/hotline_welcome',
      'sound:dozvon/there_are',
      'number:2',
      'sound:dozvon/open_incidents',
    ]);
    expect(first).to.have.length(6);
    expect(said.get(first[4])?.text).to.match(/^Incident 1 of 2\. .*Disk full on db-1/);

    await call.press('1');
    const before = at;
    at = await heardToEnd(w.phones, leg, isPrompt('hotline_menu'), 'the menu after 1', at);
    const next = playedOn(w.phones, leg).slice(before, at);
    expect(next).to.have.length(2);
    expect(said.get(next[0])?.text).to.match(/^Incident 2 of 2\. .*Queue backlog on mq-1/);

    await call.press('5');
    const pinAt = await enterPin(w.phones, call, leg, '1234', at);
    at = await heardToEnd(w.phones, leg, isPrompt('hotline_menu'), 'the menu after the acknowledge', pinAt);
    const result = playedOn(w.phones, leg).slice(pinAt, at);
    expect(said.get(result[0])?.text).to.match(/^Acknowledged/);
    // OnCall: the incident being read, acknowledged with Alice's own token, and a note naming her.
    const acks = w.oncall.requestsTo('POST', `/api/v1/alert_groups/${queue.id}/acknowledge`);
    expect(acks.map((r) => r.userId)).to.deep.equal([aliceId]);
    expect(w.oncall.state.groups.get(queue.id)!.acknowledgedBy).to.equal(aliceId);
    expect(w.oncall.state.groups.get(disk.id)!.acknowledgedAt).to.equal(null);
    expect(w.oncall.state.notes.map((n) => n.text)).to.satisfy((t: string[]) =>
      t.some((x) => /Acknowledged by hotline call by Alice Smith/.test(x)),
    );

    await call.press('#');
    await heardToEnd(w.phones, leg, isPrompt('goodbye'), 'goodbye', at);
    await call.waitEnded();
    const report = await hotlineReport(w);
    expect(report.outcome).to.equal('goodbye');
    expect(report.states).to.include('reading>pin>acting>reading');
    expectHeardInFull(w, await call.recording(), playedOn(w.phones, leg), 'en', 'the caller');
  });

  it('9 rings the engineer on call, who hears who calls and about what; bridged, each hears the other', async () => {
    const call = await w.phones.dial(HOTLINE, ALICE);
    const leg = await targetOf(w.phones, isPrompt('hotline_welcome'), 'the welcome');
    // A caller who knows the menu presses 9 while the incident is being read.
    const reading = await heardStart(w.phones, leg, (m) => m.startsWith('sound:http'), 'the incident');
    await call.press('9');
    const at = reading.index + 1;
    await heardToEnd(w.phones, leg, isPrompt('connecting_to'), '"connecting you to"', at);

    const carol = await w.phones.expectCall('15550003333');
    await carol.ring();
    await carol.answer();
    // The engineer hears the announcement before the two are joined.
    const carolLeg = await targetOf(
      w.phones,
      (m) => said.get(m)?.text.startsWith('Hotline call from') ?? false,
      'the announcement to the engineer',
    );
    const announce = playedOn(w.phones, carolLeg);
    expect(said.get(announce[0])?.text).to.match(/^Hotline call from Alice Smith\b.*about: Disk full on db-1/);
    await w.phones.waitEvent(
      (e) => e.type === 'PlaybackFinished' && e.playback?.target_uri === carolLeg,
      'the announcement to finish',
      30_000,
      true,
    );
    const bridged = await w.phones.waitEvent(
      (e) => e.type === 'ChannelEnteredBridge' && (e.bridge as { channels: string[] }).channels.length === 2,
      'dozvon to bridge the two calls',
      20_000,
      true,
    );
    expect((bridged.bridge as { channels: string[] }).channels).to.include(leg.replace(/^channel:/, ''));
    expect((bridged.bridge as { channels: string[] }).channels).to.include(carolLeg.replace(/^channel:/, ''));

    // Each side speaks in turn; each hears only what the other said.
    const carolHears = await listenIn(w.phones, carol.id);
    const aliceHears = await listenIn(w.phones, call.id);
    await speak(w.phones, call.id, 'sound:hello-world');
    await speak(w.phones, carol.id, 'sound:tt-weasels');
    expectVoiceOf(w, await carolHears.stop(), 'hello-world', 'the engineer hears the caller');
    expectVoiceOf(w, await aliceHears.stop(), 'tt-weasels', 'the caller hears the engineer');

    await call.hangup();
    await carol.waitEnded(10_000);
    const report = await hotlineReport(w);
    expect(report.outcome).to.equal('bridged');
    expect(report.states).to.include('connecting>bridged');
  });

  it('nobody answers 9: the caller leaves a message, OnCall gets an alert whose link serves the recording', async () => {
    const call = await w.phones.dial(HOTLINE, ALICE);
    const leg = await targetOf(w.phones, isPrompt('hotline_welcome'), 'the welcome');
    // A caller who knows the menu presses 9 while the incident is being read.
    const reading = await heardStart(w.phones, leg, (m) => m.startsWith('sound:http'), 'the incident');
    await call.press('9');
    const at = reading.index + 1;
    const carol = await w.phones.expectCall('15550003333');
    await carol.ring(); // and never answers: dozvon gives up after ring_timeout_seconds (5)
    await heardToEnd(w.phones, leg, isPrompt('nobody_answered'), '"please leave a message"', at, 30_000);
    await carol.waitEnded(10_000);
    await w.phones.waitEvent(
      (e) => e.type === 'RecordingStarted' && (e.recording as { target_uri?: string }).target_uri === leg,
      'dozvon to record',
      10_000,
      true,
    );
    await speak(w.phones, call.id, 'sound:tt-weasels');
    await call.press('#');

    const alert = await inbox.first();
    expect(alert.title).to.match(/^Hotline message from Alice Smith/);
    expect(alert.message).to.include('Caller: Alice Smith +15550001111').and.include('About: Disk full on db-1');
    const link = String(alert.link_to_upstream_details);
    expect(link).to.match(new RegExp(`^${w.url}/hotline/messages/[A-Za-z0-9_-]{20,64}\\.wav$`));
    expect(alert.message).to.include(`Recording: ${link}`);

    const r = await fetch(link);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^audio\/wav/);
    expect(r.headers.get('cache-control')).to.equal('no-store');
    const wav = Buffer.from(await r.arrayBuffer());
    const info = parseWav(wav);
    expect(info).to.include({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    const heard = expectVoiceOf(w, wav, 'tt-weasels', 'the message holds what the caller said');
    const spoke = coreSound(w, 'tt-weasels').seconds;
    // Asterisk trims trailing silence down to 200 ms (the sound ends in about 0.4 s of it).
    expect(heard.seconds, `message ${heard.seconds.toFixed(2)} s vs ${spoke.toFixed(2)} s said`).to.be.within(spoke * 0.8, spoke + 1);

    await heardToEnd(w.phones, leg, isPrompt('goodbye'), 'goodbye after the message', at);
    await call.waitEnded();
    const report = await hotlineReport(w);
    expect(report.outcome).to.equal('voicemail');
  });
});
