/**
 * The hotline's team path over a real inbound SIP call: the team `dba` set up as an operator does
 * (its rotation puts Alice on call), Carol dials the hotline, hears the offer of 7, presses it,
 * picks the team from the list read to her, hears whom she is being put through to, and Alice's
 * phone rings; Alice answers, hears who is calling, and the two are bridged, each hearing the other.
 */
import { expect } from 'chai';
import { useStory, ALICE_PHONE } from './stories';
import { CAROL_PHONE, TEAM, setUpTeam } from './teams';
import {
  expectVoiceOf,
  heardStart,
  heardToEnd,
  hotlineReport,
  isPrompt,
  listenIn,
  playedOn,
  speak,
  spokenTexts,
  targetOf,
} from './hotline-helpers';

const HOTLINE = '+15550100100';

describe('real Asterisk: the hotline connects a caller to the on-call of a chosen team', function () {
  const story = useStory(this);

  it("7, then the team's digit: the rotation's on-call is rung, hears who calls, and is bridged to the caller", async () => {
    const { w } = story();
    const said = spokenTexts(w);
    const text = (m: string) => said.get(m)?.text ?? '';
    await setUpTeam(w);

    const call = await w.phones.dial(HOTLINE, `+${CAROL_PHONE}`);
    const leg = await targetOf(w.phones, isPrompt('hotline_welcome'), 'the welcome');
    // A caller who listens to the menu presses 7 once it is offered.
    const offer = await heardStart(w.phones, leg, (m) => text(m).startsWith('To choose a team'), 'the offer of 7');
    await call.press('7');
    const menuEnd = await heardToEnd(w.phones, leg, (m) => text(m).startsWith('For dba'), 'the list of teams', offer.index + 1);
    expect(text(playedOn(w.phones, leg)[menuEnd - 1])).to.equal(`For ${TEAM}, press 1. To go back, press star.`);
    await call.press('1');

    // Whom she is put through to: the prompt, then the name of the person on call.
    const connecting = await heardStart(w.phones, leg, isPrompt('connecting_to'), '"connecting you to"', menuEnd);
    const alice = await w.phones.expectCall(ALICE_PHONE, 30_000);
    expect(text(playedOn(w.phones, leg)[connecting.index + 1])).to.equal('Alice Smith');
    await alice.ring();
    await alice.answer();
    const aliceLeg = await targetOf(w.phones, (m) => text(m).startsWith('Hotline call from'), 'the announcement to the engineer');
    expect(text(playedOn(w.phones, aliceLeg)[0])).to.match(/^Hotline call from Carol White\b/);
    await w.phones.waitEvent(
      (e) => e.type === 'PlaybackFinished' && e.playback?.target_uri === aliceLeg,
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
    const channels = (bridged.bridge as { channels: string[] }).channels;
    expect(channels).to.include(leg.replace(/^channel:/, ''));
    expect(channels).to.include(aliceLeg.replace(/^channel:/, ''));

    // Each side speaks in turn; each hears only what the other said.
    const aliceHears = await listenIn(w.phones, alice.id);
    const carolHears = await listenIn(w.phones, call.id);
    await speak(w.phones, call.id, 'sound:hello-world');
    await speak(w.phones, alice.id, 'sound:tt-weasels');
    expectVoiceOf(w, await aliceHears.stop(), 'hello-world', 'the engineer hears the caller');
    expectVoiceOf(w, await carolHears.stop(), 'tt-weasels', 'the caller hears the engineer');

    await call.hangup();
    await alice.waitEnded(10_000);
    const report = await hotlineReport(w);
    expect(report.outcome).to.equal('bridged');
    expect(report.states).to.include('connecting>bridged');
    expect(w.logs.some((l) => l.includes('"hotline team chosen"') && l.includes(`"team":"${TEAM}"`))).to.equal(true);
  });
});
