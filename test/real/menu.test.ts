/**
 * Stories on a real Asterisk over SIP/RTP: make_call → dozvon → PJSIP trunk → the engineer's
 * phone, which hears the summary and presses digits. Each test names what the phone heard.
 */
import { expect } from 'chai';
import { useStory } from './stories';
import { measure, mediaSeconds } from './audio';

describe('real Asterisk: the menu over SIP', function () {
  const story = useStory(this);

  it('the phone hears greeting, summary and menu in full; 1 acknowledges in OnCall with a note', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('High CPU on db-1.prod.example.com');
    const call = await w.phones.expectCall('15550001111');
    await call.ring();
    await new Promise((r) => setTimeout(r, 300));
    await call.answer();
    // Listen to everything first: the menu prompt finishing is when a person presses.
    const menu = await w.phones.waitPlayback((m) => m.endsWith('dozvon/menu'), 'the menu');
    await w.phones.waitEvent((e) => e.type === 'PlaybackFinished' && e.playback?.id === menu.id, 'the menu to finish');
    const heardMedia = w.phones.played();
    await call.press('1');
    const row = await w.finished(id);
    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(row.reason).to.equal('pressed 1: Acknowledged.');
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    expect(w.oncall.state.notes[0].text).to.match(/Acknowledged by phone by Alice Smith/);
    await call.waitEnded();

    // The summary is rendered speech fetched over HTTP by Asterisk, and it reached the phone.
    const speech = heardMedia.filter((m) => m.startsWith('sound:http'));
    expect(speech, 'rendered speech was played').to.have.length(1);
    expect(w.asterisk.log()).to.not.match(/Failed to retrieve URL|Playback failed/);
    const played = heardMedia.reduce((sum, m) => sum + mediaSeconds(m, 'en', w.ttsDir, w.coreSounds('en')), 0);
    const heard = measure(await call.recording());
    // Everything after the menu (the result and goodbye) is heard too: count it.
    const after = w.phones
      .played()
      .slice(heardMedia.length)
      .reduce((sum, m) => sum + mediaSeconds(m, 'en', w.ttsDir, w.coreSounds('en')), 0);
    expect(heard.voicedSeconds, 'non-silent audio').to.be.greaterThan(1);
    expect(heard.seconds).to.be.within((played + after) * 0.9, (played + after) * 1.1);
  });
});
